/**
 * Deployment guarantees that live in wrangler.toml (RELIABILITY.md, TOOLCHAIN.md): poison
 * messages land in a dead-letter queue, Durable Objects use SQLite storage, D1 migrations are
 * wired, a cron exists, wrangler stays offline, and no secret sits in plain-text [vars].
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/source-scan';
import { parseToml, type TomlTable, type TomlValue } from './support/toml';

const config = parseToml(readFileSync(`${REPO_ROOT}wrangler.toml`, 'utf8'));

function tables(value: TomlValue | undefined): TomlTable[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`expected an array of tables, got ${JSON.stringify(value)}`);
  return value as TomlTable[];
}

function table(value: TomlValue | undefined): TomlTable {
  return typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** The top level plus every `[env.<name>]` block, each of which wrangler reads on its own. */
const environments: Array<[string, TomlTable]> = [['top level', config], ...Object.entries(table(config.env)).map(([name, t]): [string, TomlTable] => [`env.${name}`, table(t)])];

/** Names that suggest key material; each listed exception says why its value is not secret. */
const SECRET_NAME = /KEY|SECRET|JWKS?|TOKEN|PASSWORD|PRIVATE|CREDENTIAL/i;
const NOT_SECRET: Readonly<Record<string, string>> = {
  API_KEY_ISSUER: 'the public `iss` claim API keys carry, not key material',
  API_KEY_AUDIENCE: 'the public `aud` claim API keys carry, not key material',
};
/** Values that look like key material whatever they are called. */
const SECRET_VALUE = [
  /^(?:sk|rk|pk|whsec)_/, // Stripe-style keys and webhook secrets
  /"(?:d|k|p|q)"\s*:/, // private JWK members
  /^eyJ[\w-]*\.eyJ[\w-]*\./, // a JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

describe('wrangler.toml', () => {
  it('turns off wrangler metrics (nothing may wait on Cloudflare’s network)', () => {
    expect(config.send_metrics).toBe(false);
  });

  it('gives every queue consumer a dead-letter queue other than itself', () => {
    const consumers = tables(table(config.queues).consumers);
    expect(consumers.length).toBeGreaterThan(0);
    const missing = consumers.filter((c) => typeof c.dead_letter_queue !== 'string' || c.dead_letter_queue === '' || c.dead_letter_queue === c.queue);
    expect(missing.map((c) => c.queue)).toEqual([]);
  });

  it('bounds retries on every queue consumer so failures reach the dead-letter queue', () => {
    for (const consumer of tables(table(config.queues).consumers)) {
      expect(consumer.max_retries, String(consumer.queue)).toEqual(expect.any(Number));
    }
  });

  it('creates every Durable Object class with SQLite storage', () => {
    const migrations = tables(config.migrations);
    const sqlite = new Set(migrations.flatMap((m) => (m.new_sqlite_classes as string[] | undefined) ?? []));
    const kv = new Set(migrations.flatMap((m) => (m.new_classes as string[] | undefined) ?? []));
    const classes = tables(table(config.durable_objects).bindings).map((b) => String(b.class_name));
    expect(classes.length).toBeGreaterThan(0);
    expect(classes.filter((c) => !sqlite.has(c))).toEqual([]);
    expect([...kv]).toEqual([]);
  });

  it('points every D1 database at an existing migrations directory', () => {
    const databases = tables(config.d1_databases);
    expect(databases.length).toBeGreaterThan(0);
    for (const db of databases) {
      expect(db.migrations_dir, String(db.binding)).toEqual(expect.any(String));
      const dir = `${REPO_ROOT}${String(db.migrations_dir)}`;
      expect(existsSync(dir) && statSync(dir).isDirectory(), dir).toBe(true);
    }
  });

  it('schedules at least one cron trigger with five fields', () => {
    const crons = table(config.triggers).crons;
    expect(Array.isArray(crons) && crons.length > 0).toBe(true);
    for (const cron of crons as TomlValue[]) expect(String(cron).trim().split(/\s+/)).toHaveLength(5);
  });

  it.each(environments)('keeps secrets out of [vars] (%s)', (_name, env) => {
    const vars = Object.entries(table(env.vars));
    const suspicious = vars
      .filter(([name, value]) => (SECRET_NAME.test(name) && !(name in NOT_SECRET) && String(value) !== '') || SECRET_VALUE.some((p) => p.test(String(value))))
      .map(([name]) => name);
    expect(suspicious).toEqual([]);
  });

  it('lists only [vars] that exist in the not-secret exceptions', () => {
    const names = new Set(environments.flatMap(([, env]) => Object.keys(table(env.vars))));
    expect(Object.keys(NOT_SECRET).filter((n) => !names.has(n))).toEqual([]);
  });
});

describe('parseToml', () => {
  it('reads tables, arrays of tables, arrays, strings, numbers, booleans and comments', () => {
    const text = [
      'name = "x" # trailing comment',
      "path = 'C:\\raw#not-comment'",
      'flags = ["a", # inside',
      '  "b",',
      ']',
      '[vars]',
      'A = "say \\"hi\\"\\n"',
      '"quoted key" = -1_000',
      '[[q.c]]',
      'on = true',
      '[[q.c]]',
      'on = false',
      'inline = { a = 1, b = "two" }',
      '[q.c.sub]',
      'deep = 1',
    ].join('\n');
    expect(parseToml(text)).toEqual({
      name: 'x',
      path: 'C:\\raw#not-comment',
      flags: ['a', 'b'],
      vars: { A: 'say "hi"\n', 'quoted key': -1000 },
      q: { c: [{ on: true }, { on: false, inline: { a: 1, b: 'two' }, sub: { deep: 1 } }] },
    });
  });

  it.each(['a = 1.5', 'a = """x"""', 'a = 1979-05-27', 'a.b = 1', 'a = "x', 'a = 1\na = 2'])('refuses what it does not support: %j', (text) => {
    expect(() => parseToml(text)).toThrow(/TOML line/);
  });
});
