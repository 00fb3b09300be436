/**
 * Which webhook endpoint URLs we will POST to (SSRF defence, RELIABILITY.md C-table rows 52–60).
 *
 * The URL is parsed with the WHATWG parser — the same one `fetch` uses — and only the parsed,
 * canonical host is judged. WHATWG already folds every IPv4 spelling (`2130706433`, `0x7f000001`,
 * `017700000001`, `127.1`, `0x7f.1`) into dotted quads and IPv6 into its compressed form, so a
 * host that *looks* public in the string but connects somewhere private is caught here.
 *
 * Refused: userinfo (`user@host`), schemes other than https (http too in test mode), loopback,
 * unspecified, private, CGNAT, link-local (cloud metadata 169.254.169.254), multicast, reserved and
 * documentation ranges, IPv6 ULA/link-local/site-local, IPv4-mapped/-compatible/NAT64/6to4 forms
 * of any refused IPv4 address, single-label names and internal suffixes (`localhost`,
 * `*.localhost`, `*.internal` incl. metadata.google.internal, `*.local`, `*.home.arpa`, …).
 *
 * Not checkable here: DNS. A public name may resolve (or later re-resolve: rebinding) to a private
 * address, and Workers offer no resolver API to check the address `fetch` connects to. Cloudflare's
 * egress does not route to our private networks, which bounds the damage, but a deployment that
 * needs more must add an egress proxy. The check runs at registration and again before each send.
 *
 * Pure: no I/O. `allowLocalhost` (test mode only) admits loopback hosts so a developer can receive
 * events on their machine; private ranges stay refused.
 */
import { WEBHOOK_URL_LENGTH_MAX } from '../limits';
import { err, ok, type Result } from '../result';

export interface UrlPolicyOptions {
  readonly livemode: boolean;
  /** Honoured only in test mode: admit `http(s)://localhost`, 127.0.0.0/8 and [::1]. */
  readonly allowLocalhost: boolean;
}

export type UrlRefusal =
  | 'too_long'
  | 'unparseable'
  | 'scheme'
  | 'credentials'
  | 'loopback'
  | 'private_address'
  | 'internal_name';

export interface UrlRefused {
  readonly reason: UrlRefusal;
  readonly message: string;
}

const INTERNAL_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa', '.intranet', '.lan', '.corp'];

/** [network, prefix length] pairs of IPv4 space no webhook may reach. */
const REFUSED_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT (and Alibaba metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];

function refused(reason: UrlRefusal, message: string): { readonly ok: false; readonly error: UrlRefused } {
  return err({ reason, message });
}

function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function inIpv4Range(address: number, [network, bits]: readonly [string, number]): boolean {
  const base = ipv4ToNumber(network)!;
  const size = 2 ** (32 - bits);
  return address >= base && address < base + size;
}

function isLoopbackIpv4(address: number): boolean {
  return inIpv4Range(address, ['127.0.0.0', 8]);
}

function isRefusedIpv4(address: number): boolean {
  return REFUSED_IPV4.some((range) => inIpv4Range(address, range));
}

/** Eight 16-bit groups of a canonical (WHATWG-serialised) IPv6 address, or null. */
export function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function embeddedIpv4(groups: readonly number[]): number {
  return groups[6]! * 65536 + groups[7]!;
}

type Ipv6Verdict = 'public' | 'loopback' | 'refused';

function judgeIpv6(g: readonly number[]): Ipv6Verdict {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'; // ::1
  if (zeroUpTo(6)) return 'refused'; // :: and IPv4-compatible ::a.b.c.d
  if (zeroUpTo(5) && g[5] === 0xffff) return isLoopbackIpv4(embeddedIpv4(g)) ? 'loopback' : 'refused'; // IPv4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isRefusedIpv4(embeddedIpv4(g)) ? 'refused' : 'public'; // NAT64
  if (g[0] === 0x2002) return isRefusedIpv4(g[1]! * 65536 + g[2]!) ? 'refused' : 'public'; // 6to4
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'refused'; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return 'refused'; // link-local, site-local
  if ((first & 0xff00) === 0xff00) return 'refused'; // multicast
  if (first === 0x2001 && (g[1]! < 0x0200 || g[1] === 0x0db8)) return 'refused'; // 2001::/23 (Teredo, ORCHID…), 2001:db8::/32
  if (first === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'refused'; // discard-only 100::/64
  return 'public';
}

type HostVerdict = 'public' | 'loopback' | 'refused_address' | 'refused_name';

/** Judges a WHATWG-canonical hostname (IPv6 in brackets, IPv4 dotted, names lower-case punycode). */
export function judgeHost(hostname: string): HostVerdict {
  if (hostname.startsWith('[')) {
    const groups = parseIpv6(hostname.slice(1, -1));
    if (groups === null) return 'refused_address';
    const verdict = judgeIpv6(groups);
    return verdict === 'refused' ? 'refused_address' : verdict;
  }
  const v4 = ipv4ToNumber(hostname);
  if (v4 !== null) {
    if (isLoopbackIpv4(v4)) return 'loopback';
    return isRefusedIpv4(v4) ? 'refused_address' : 'public';
  }
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (!name.includes('.')) return 'refused_name'; // single-label: intranet names, `metadata`
  if (INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) return 'refused_name';
  return 'public';
}

/** https always; plain http only in test mode (Stripe accepts http endpoints for test data). */
function schemeAllowed(protocol: string, options: UrlPolicyOptions): boolean {
  return protocol === 'https:' || (protocol === 'http:' && !options.livemode);
}

/**
 * Checks a webhook URL; on success returns the canonical `href` (punycode host, normalised
 * path) — the form to store and to fetch, so the string checked is the string used.
 */
export function checkWebhookUrl(text: string, options: UrlPolicyOptions): Result<string, UrlRefused> {
  if (text.length > WEBHOOK_URL_LENGTH_MAX) return refused('too_long', `The URL must be at most ${WEBHOOK_URL_LENGTH_MAX} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refused('unparseable', 'Invalid URL: the URL could not be parsed.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused('scheme', 'Invalid URL: webhook URLs must use https.');
  if (url.username !== '' || url.password !== '') return refused('credentials', 'Invalid URL: webhook URLs may not contain credentials.');
  const verdict = judgeHost(url.hostname);
  const localAllowed = options.allowLocalhost && !options.livemode;
  if (verdict === 'loopback' && !localAllowed) return refused('loopback', 'Invalid URL: webhook URLs may not point at localhost or loopback addresses.');
  if (verdict === 'refused_address') return refused('private_address', 'Invalid URL: webhook URLs may not point at private, link-local or reserved addresses.');
  if (verdict === 'refused_name') return refused('internal_name', 'Invalid URL: webhook URLs must use a public hostname.');
  if (!schemeAllowed(url.protocol, options)) return refused('scheme', 'Invalid URL: webhook URLs must use https in live mode.');
  return ok(url.href);
}
