import { describe, expect, it } from 'vitest';
import { WEBHOOK_ENDPOINTS_MAX } from '../../src/domain/limits';
import { mintTestKey } from '../support/api-keys';
import { api, json } from '../support/http';
import { createEndpoint, endpointBody, newAccount } from '../support/webhooks';

describe('/v1/webhook_endpoints', () => {
  it('creates an endpoint and shows its whsec_ secret only in the create response', async () => {
    const { key } = await newAccount();
    const created = await createEndpoint(key, 'https://hooks.example.com/stripe', ['charge.succeeded', 'charge.failed']);
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      description: null,
      enabled_events: ['charge.succeeded', 'charge.failed'],
      livemode: false,
      metadata: {},
      status: 'enabled',
      url: 'https://hooks.example.com/stripe',
    });
    expect(created.id).toMatch(/^we_/);
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{32,}$/);
    const retrieved = await json(await api('GET', `/v1/webhook_endpoints/${created.id}`, { key }));
    const { secret: _secret, ...withoutSecret } = created;
    expect(retrieved).toEqual(withoutSecret);
    const list = await json(await api('GET', '/v1/webhook_endpoints', { key }));
    expect(list).toMatchObject({ object: 'list', url: '/v1/webhook_endpoints', has_more: false });
    expect(list.data).toEqual([withoutSecret]);
    expect(JSON.stringify(list)).not.toContain('whsec_');
  });

  it('updates url, enabled_events (including *), disabled, description and metadata', async () => {
    const { key } = await newAccount();
    const created = await createEndpoint(key, 'https://a.example.com/x');
    const body = { ...endpointBody('https://b.example.com/y', ['*']), disabled: 'true', description: 'orders', 'metadata[team]': 'pay' };
    const updated = await json(await api('POST', `/v1/webhook_endpoints/${created.id}`, { key, body }));
    expect(updated).toMatchObject({ url: 'https://b.example.com/y', enabled_events: ['*'], status: 'disabled', description: 'orders', metadata: { team: 'pay' } });
    expect(updated.secret).toBeUndefined();
    const enabled = await json(await api('POST', `/v1/webhook_endpoints/${created.id}`, { key, body: { disabled: 'false', description: '' } }));
    expect(enabled).toMatchObject({ status: 'enabled', description: null, url: 'https://b.example.com/y' });
  });

  it('deletes an endpoint: a deleted stub, then 404s', async () => {
    const { key } = await newAccount();
    const created = await createEndpoint(key, 'https://a.example.com/x');
    expect(await json(await api('DELETE', `/v1/webhook_endpoints/${created.id}`, { key }))).toEqual({ id: created.id, object: 'webhook_endpoint', deleted: true });
    const gone = await api('GET', `/v1/webhook_endpoints/${created.id}`, { key });
    expect(gone.status).toBe(404);
    expect((await json(gone)).error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
    expect((await api('DELETE', `/v1/webhook_endpoints/${created.id}`, { key })).status).toBe(404);
  });

  it('validates parameters the way Stripe does', async () => {
    const { key } = await newAccount();
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'enabled_events[0]': '*' }, 'url'],
      [{ url: 'https://a.example.com/x' }, 'enabled_events'],
      [endpointBody('https://a.example.com/x', ['charge.exploded']), 'enabled_events[0]'],
      [{ ...endpointBody('https://a.example.com/x'), connect: 'true' }, 'connect'],
      [{ ...endpointBody('https://a.example.com/x'), secret: 'whsec_mine' }, 'secret'],
    ];
    for (const [body, param] of cases) {
      const response = await api('POST', '/v1/webhook_endpoints', { key, body });
      expect(response.status, param).toBe(400);
      expect((await json(response)).error).toMatchObject({ type: 'invalid_request_error', param });
    }
  });

  it('refuses SSRF targets at creation and on update, in every encoding', async () => {
    const { key } = await newAccount();
    const urls = [
      'http://localhost:8080/x', 'https://127.1/x', 'https://2130706433/x', 'https://0x7f000001/x', 'https://017700000001/x',
      'https://[::ffff:127.0.0.1]/x', 'https://169.254.169.254/latest/meta-data/', 'https://metadata.google.internal/x',
      'https://10.0.0.1/x', 'https://172.16.0.1/x', 'https://192.168.1.1/x', 'https://100.64.0.1/x', 'https://[fd00::1]/x',
      'https://[fe80::1]/x', 'https://user@127.0.0.1/x', 'https://good.com@10.0.0.1/x', 'ftp://example.com/x', 'file:///etc/passwd',
    ];
    for (const url of urls) {
      const response = await api('POST', '/v1/webhook_endpoints', { key, body: endpointBody(url) });
      expect(response.status, url).toBe(400);
      expect((await json(response)).error, url).toMatchObject({ type: 'invalid_request_error', param: 'url', code: 'url_invalid' });
    }
    const endpoint = await createEndpoint(key, 'https://ok.example.com/x');
    const update = await api('POST', `/v1/webhook_endpoints/${endpoint.id}`, { key, body: { url: 'https://[::1]/x' } });
    expect(update.status).toBe(400);
    expect((await json(await api('GET', '/v1/webhook_endpoints', { key }))).data).toHaveLength(1);
  });

  it('requires https in live mode and allows http to public hosts in test mode', async () => {
    const live = await newAccount(true);
    expect((await api('POST', '/v1/webhook_endpoints', { key: live.key, body: endpointBody('http://hooks.example.com/x') })).status).toBe(400);
    expect((await createEndpoint(live.key, 'https://hooks.example.com/x')).livemode).toBe(true);
    const test = await newAccount();
    expect((await createEndpoint(test.key, 'http://hooks.example.com/x')).url).toBe('http://hooks.example.com/x');
  });

  it(`allows at most ${WEBHOOK_ENDPOINTS_MAX} endpoints per account and mode`, async () => {
    const { key } = await newAccount();
    for (let i = 0; i < WEBHOOK_ENDPOINTS_MAX; i++) await createEndpoint(key, `https://h${i}.example.com/x`);
    const over = await api('POST', '/v1/webhook_endpoints', { key, body: endpointBody('https://one-more.example.com/x') });
    expect(over.status).toBe(400);
    expect((await json(over)).error.message).toContain(String(WEBHOOK_ENDPOINTS_MAX));
  });

  it('keeps endpoints per account: another account cannot see or change them', async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const endpoint = await createEndpoint(owner.key, 'https://a.example.com/x');
    expect((await api('GET', `/v1/webhook_endpoints/${endpoint.id}`, { key: other.key })).status).toBe(404);
    expect((await api('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, { key: other.key })).status).toBe(404);
  });

  it('needs webhook_endpoints write permission on restricted keys', async () => {
    const { accountId } = await newAccount();
    const readOnly = await mintTestKey(accountId, { kind: 'restricted', scopes: ['webhook_endpoints:read'] });
    const denied = await api('POST', '/v1/webhook_endpoints', { key: readOnly, body: endpointBody('https://a.example.com/x') });
    expect(denied.status).toBe(403);
    expect((await api('GET', '/v1/webhook_endpoints', { key: readOnly })).status).toBe(200);
  });
});
