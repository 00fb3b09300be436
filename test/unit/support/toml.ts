/**
 * A small TOML reader for the subset wrangler.toml uses: comments, `[table]` and `[[array of
 * tables]]` headers with dotted names, `key = value` with bare or quoted keys, basic and literal
 * strings, integers, booleans, inline tables and (multi-line) arrays of those. Anything else
 * throws with the line number, so the config tests never read a file they do not understand.
 * (No TOML package is installed and package.json is not ours to change.)
 */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

const BARE_KEY = /^[A-Za-z0-9_-]+/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

export function parseToml(text: string): TomlTable {
  return new Reader(text).document();
}

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  document(): TomlTable {
    const root: TomlTable = {};
    let current = root;
    for (this.skipBlank(); this.at < this.text.length; this.skipBlank()) {
      if (this.text.startsWith('[[', this.at)) {
        current = this.arrayTable(root);
      } else if (this.peek() === '[') {
        current = this.table(root);
      } else {
        const key = this.key();
        this.expect('=');
        if (key in current) this.fail(`duplicate key ${key}`);
        current[key] = this.value();
      }
      this.endOfLine();
    }
    return root;
  }

  private table(root: TomlTable): TomlTable {
    this.expect('[');
    const path = this.dottedKey();
    this.expect(']');
    return this.walk(root, path);
  }

  private arrayTable(root: TomlTable): TomlTable {
    this.expect('[');
    this.expect('[');
    const path = this.dottedKey();
    this.expect(']');
    this.expect(']');
    const parent = this.walk(root, path.slice(0, -1));
    const last = path[path.length - 1]!;
    const list = (parent[last] ??= []);
    if (!Array.isArray(list)) this.fail(`${path.join('.')} is not an array of tables`);
    const table: TomlTable = {};
    list.push(table);
    return table;
  }

  /** Descends through tables, entering the newest element of an array of tables. */
  private walk(root: TomlTable, path: readonly string[]): TomlTable {
    let node = root;
    for (const part of path) {
      let next = (node[part] ??= {});
      if (Array.isArray(next)) next = next[next.length - 1]!;
      if (typeof next !== 'object' || Array.isArray(next)) this.fail(`${part} is not a table`);
      node = next;
    }
    return node;
  }

  private dottedKey(): string[] {
    const parts = [this.key()];
    while (this.peek() === '.') {
      this.at += 1;
      parts.push(this.key());
    }
    return parts;
  }

  private key(): string {
    this.skipSpaces();
    if (this.peek() === '"') return this.basicString();
    const match = BARE_KEY.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a key');
    this.at += match[0].length;
    this.skipSpaces();
    return match[0];
  }

  private value(): TomlValue {
    this.skipSpaces();
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const word = /^(?:true|false|[+-]?[0-9][0-9_]*)(?=[\s,\]}#]|$)/.exec(this.text.slice(this.at));
    if (!word) this.fail('unsupported value');
    this.at += word[0].length;
    if (word[0] === 'true' || word[0] === 'false') return word[0] === 'true';
    return Number(word[0].replaceAll('_', ''));
  }

  private array(): TomlValue[] {
    this.expect('[');
    const items: TomlValue[] = [];
    for (this.skipBlank(); this.peek() !== ']'; this.skipBlank()) {
      items.push(this.value());
      this.skipBlank();
      if (this.peek() === ',') this.at += 1;
      else if (this.peek() !== ']') this.fail('expected , or ] in array');
    }
    this.at += 1;
    return items;
  }

  private inlineTable(): TomlTable {
    this.expect('{');
    const table: TomlTable = {};
    this.skipSpaces();
    while (this.peek() !== '}') {
      const key = this.key();
      this.expect('=');
      table[key] = this.value();
      this.skipSpaces();
      if (this.peek() === ',') this.at += 1;
      else if (this.peek() !== '}') this.fail('expected , or } in inline table');
      this.skipSpaces();
    }
    this.at += 1;
    return table;
  }

  private basicString(): string {
    if (this.text.startsWith('"""', this.at)) this.fail('multi-line strings are not supported');
    this.expect('"');
    let out = '';
    for (let c = this.next(); c !== '"'; c = this.next()) {
      if (c === '\n' || c === '') this.fail('unterminated string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.next();
      if (e === 'u') {
        out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 4), 16));
        this.at += 4;
      } else if (e in ESCAPES) out += ESCAPES[e];
      else this.fail(`unsupported escape \\${e}`);
    }
    return out;
  }

  private literalString(): string {
    this.expect("'");
    const end = this.text.indexOf("'", this.at);
    if (end === -1 || this.text.slice(this.at, end).includes('\n')) this.fail('unterminated literal string');
    const out = this.text.slice(this.at, end);
    this.at = end + 1;
    return out;
  }

  private endOfLine(): void {
    this.skipSpaces();
    if (this.peek() === '#') this.skipComment();
    if (this.at < this.text.length && this.next() !== '\n') this.fail('expected end of line');
  }

  private skipBlank(): void {
    for (;;) {
      this.skipSpaces();
      if (this.peek() === '#') this.skipComment();
      if (this.peek() !== '\n') return;
      this.at += 1;
    }
  }

  private skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') this.at += 1;
  }

  private skipComment(): void {
    while (this.at < this.text.length && this.peek() !== '\n') this.at += 1;
  }

  private expect(c: string): void {
    this.skipSpaces();
    if (this.peek() !== c) this.fail(`expected ${c}`);
    this.at += 1;
    this.skipSpaces();
  }

  private peek(): string {
    return this.text[this.at] ?? '';
  }

  private next(): string {
    return this.text[this.at++] ?? '';
  }

  private fail(message: string): never {
    const line = this.text.slice(0, this.at).split('\n').length;
    throw new Error(`TOML line ${line}: ${message}`);
  }
}
