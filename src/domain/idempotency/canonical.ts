/**
 * Canonical bytes of a request for idempotency fingerprints: method, path and the *decoded*
 * parameter tree with keys sorted, every string length-prefixed so that no two different trees
 * can encode alike (`a[b]=1&a[c]=2` equals `a[c]=2&a[b]=1`; `{"a":"b="}` differs from `{"a=b":""}`).
 * Pure: the SHA-256 digest of these bytes is taken by the caller (crypto lives outside the domain).
 */
export type CanonicalTree = string | { readonly [key: string]: CanonicalTree };

function appendString(out: string[], tag: string, value: string): void {
  out.push(tag, String(value.length), ':', value);
}

function appendTree(out: string[], node: CanonicalTree): void {
  if (typeof node === 'string') {
    appendString(out, 's', node);
    return;
  }
  const keys = Object.keys(node).sort();
  out.push('m', String(keys.length), '{');
  for (const key of keys) {
    appendString(out, 'k', key);
    appendTree(out, node[key]!);
  }
  out.push('}');
}

export function canonicalRequest(method: string, path: string, params: CanonicalTree): string {
  const out: string[] = [];
  appendString(out, 'M', method.toUpperCase());
  appendString(out, 'P', path);
  appendTree(out, params);
  return out.join('');
}
