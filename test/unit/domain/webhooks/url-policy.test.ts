import { describe, expect, it } from 'vitest';
import { WEBHOOK_URL_LENGTH_MAX } from '../../../../src/domain/limits';
import { checkWebhookUrl, judgeHost, parseIpv6, type UrlPolicyOptions } from '../../../../src/domain/webhooks/url-policy';

const LIVE: UrlPolicyOptions = { livemode: true, allowLocalhost: false };
const TEST: UrlPolicyOptions = { livemode: false, allowLocalhost: false };
const TEST_LOCAL: UrlPolicyOptions = { livemode: false, allowLocalhost: true };

const reasonOf = (url: string, options: UrlPolicyOptions = LIVE) => {
  const result = checkWebhookUrl(url, options);
  return result.ok ? 'ok' : result.error.reason;
};

describe('checkWebhookUrl', () => {
  it('accepts public https URLs and returns the canonical href', () => {
    expect(checkWebhookUrl('https://hooks.example.com/stripe?x=1', LIVE)).toEqual({ ok: true, value: 'https://hooks.example.com/stripe?x=1' });
    expect(checkWebhookUrl('HTTPS://Hooks.Example.COM:8443/a/../b', LIVE)).toEqual({ ok: true, value: 'https://hooks.example.com:8443/b' });
    expect(checkWebhookUrl('https://93.184.216.34/hook', LIVE).ok).toBe(true);
    expect(checkWebhookUrl('https://[2606:4700::1111]/hook', LIVE).ok).toBe(true);
  });

  // C-table row 52: schemes.
  it.each(['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'gopher://example.com', 'ws://example.com'])(
    'refuses the non-http scheme of %s in every mode',
    (url) => {
      expect(reasonOf(url, LIVE)).toBe('scheme');
      expect(reasonOf(url, TEST_LOCAL)).toBe('scheme');
    },
  );

  it('requires https in live mode and accepts plain http for public hosts in test mode', () => {
    expect(reasonOf('http://hooks.example.com/x', LIVE)).toBe('scheme');
    expect(reasonOf('http://hooks.example.com/x', TEST)).toBe('ok');
  });

  // Row 53: loopback in its spellings.
  it.each([
    'https://localhost/x',
    'https://LOCALHOST./x',
    'https://api.localhost/x',
    'https://127.0.0.1/x',
    'https://127.1/x',
    'https://127.255.255.254/x',
    'https://[::1]/x',
    'https://[0:0:0:0:0:0:0:1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:7f00:1]/x',
  ])('refuses loopback %s', (url) => {
    expect(reasonOf(url, LIVE)).toBe('loopback');
    expect(reasonOf(url, TEST)).toBe('loopback');
  });

  // Row 54: alternative IPv4 encodings, canonicalised by the WHATWG parser before the check.
  it.each(['https://2130706433/x', 'https://0x7f000001/x', 'https://017700000001/x', 'https://0x7f.1/x', 'https://0177.0.0.1/x', 'https://127.0.1/x'])(
    'refuses the encoded loopback address %s',
    (url) => expect(reasonOf(url)).toBe('loopback'),
  );

  it.each(['https://0.0.0.0/x', 'https://0/x', 'https://[::]/x', 'https://3232235777/x', 'https://0xa9fea9fe/x', 'https://0251.0376.0251.0376/x'])(
    'refuses the unspecified or encoded private address %s',
    (url) => expect(reasonOf(url)).toBe('private_address'),
  );

  // Row 55: cloud metadata, link-local, ULA.
  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'private_address'],
    ['https://[fd00::1]/x', 'private_address'],
    ['https://[fe80::1]/x', 'private_address'],
    ['https://[fec0::1]/x', 'private_address'],
    ['https://100.100.100.200/x', 'private_address'],
    ['https://[::ffff:169.254.169.254]/x', 'private_address'],
    ['https://[::ffff:a9fe:a9fe]/x', 'private_address'],
    ['https://[64:ff9b::a9fe:a9fe]/x', 'private_address'],
    ['https://[2002:a9fe:a9fe::1]/x', 'private_address'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'internal_name'],
    ['https://metadata/x', 'internal_name'],
  ])('refuses metadata and link-local target %s', (url, reason) => expect(reasonOf(url)).toBe(reason));

  // Row 56: private and CGNAT ranges, with their edges.
  it.each([
    'https://10.0.0.1/x',
    'https://10.255.255.255/x',
    'https://172.16.0.1/x',
    'https://172.31.255.255/x',
    'https://192.168.1.1/x',
    'https://100.64.0.1/x',
    'https://100.127.255.255/x',
    'https://198.18.0.1/x',
    'https://192.0.2.1/x',
    'https://224.0.0.1/x',
    'https://255.255.255.255/x',
    'https://[ff02::1]/x',
    'https://[2001:db8::1]/x',
  ])('refuses private, CGNAT, reserved and multicast address %s', (url) => expect(reasonOf(url)).toBe('private_address'));

  it.each(['https://172.15.255.255/x', 'https://172.32.0.1/x', 'https://100.63.255.255/x', 'https://100.128.0.1/x', 'https://11.0.0.1/x', 'https://[64:ff9b::808:808]/x'])(
    'accepts the public neighbour %s of a refused range',
    (url) => expect(reasonOf(url)).toBe('ok'),
  );

  // Row 57: parser confusion.
  it.each([
    ['https://user@127.0.0.1/x', 'credentials'],
    ['https://good.com@10.0.0.1/x', 'credentials'],
    ['https://user:pass@hooks.example.com/x', 'credentials'],
    ['https://evil.com#@good.com', 'ok'],
    ['https://127.0.0.1#@good.com', 'loopback'],
    ['https://127.0.0.1\\@good.com/x', 'loopback'],
    ['https:/\\127.0.0.1/x', 'loopback'],
    ['  https://10.0.0.1/x', 'private_address'],
  ])('judges %s by its parsed host', (url, reason) => expect(reasonOf(url)).toBe(reason));

  it('refuses internal and single-label names', () => {
    for (const host of ['intranet', 'db.internal', 'printer.local', 'nas.home.arpa', 'box.localdomain', 'a.corp', 'router.lan']) {
      expect(reasonOf(`https://${host}/x`), host).toBe('internal_name');
    }
  });

  // Row 60: bounds and IDN.
  it('refuses URLs over the length cap and stores IDNs as punycode', () => {
    expect(reasonOf(`https://example.com/${'a'.repeat(WEBHOOK_URL_LENGTH_MAX)}`)).toBe('too_long');
    expect(checkWebhookUrl('https://exаmple.com/x', LIVE)).toEqual({ ok: true, value: 'https://xn--exmple-4nf.com/x' });
    expect(reasonOf('not a url')).toBe('unparseable');
    expect(reasonOf('https://exa mple.com/')).toBe('unparseable');
  });

  it('admits loopback only in test mode with the dev setting, over http or https', () => {
    for (const url of ['http://localhost:4242/webhooks', 'https://127.0.0.1:4242/x', 'http://[::1]:4242/x', 'http://app.localhost/x']) {
      expect(reasonOf(url, TEST_LOCAL), url).toBe('ok');
      expect(reasonOf(url, TEST), url).toBe('loopback');
      expect(reasonOf(url, { livemode: true, allowLocalhost: true }), url).toBe('loopback');
    }
  });

  it('keeps private ranges refused even with the dev setting', () => {
    for (const url of ['http://10.0.0.1/x', 'http://192.168.1.10/x', 'http://169.254.169.254/x', 'http://[fd00::1]/x']) {
      expect(reasonOf(url, TEST_LOCAL), url).toBe('private_address');
    }
  });
});

describe('parseIpv6', () => {
  it('expands compressed forms into eight groups', () => {
    expect(parseIpv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('fe80::1:2')).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('returns null for malformed text', () => {
    for (const text of ['1::2::3', '1:2:3', 'g::1', '1:2:3:4:5:6:7:8:9']) expect(parseIpv6(text), text).toBeNull();
  });
});

describe('judgeHost', () => {
  it('refuses a bracketed host that is not an IPv6 address', () => {
    expect(judgeHost('[nonsense]')).toBe('refused_address');
  });
});
