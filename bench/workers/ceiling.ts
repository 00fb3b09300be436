/**
 * Ceiling worker for `npm run bench`: the same workerd, none of edgepay's code.
 * - `GET /bare` — ceiling A: a JSON response from the Worker, no bindings touched.
 * - `POST /sqlite` — ceiling B: Worker → one hot Durable Object (RPC) → one SQLite
 *   `transactionSync` inserting one row → JSON. The lower bound of any write edgepay makes.
 * Bundled by bench/lib/build.mjs with esbuild; never deployed.
 */
import { DurableObject } from 'cloudflare:workers';

interface CeilingEnv {
  CEILING: DurableObjectNamespace<Ceiling>;
}

export class Ceiling extends DurableObject<CeilingEnv> {
  private readonly sql: SqlStorage;
  private seq = 0;

  constructor(ctx: DurableObjectState, env: CeilingEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, created INTEGER NOT NULL, data TEXT NOT NULL)');
  }

  write(body: string): { id: string; created: number } {
    const id = `row_${Date.now().toString(36)}_${(this.seq++).toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('INSERT INTO rows (id, created, data) VALUES (?, ?, ?)', id, created, body);
    });
    return { id, created };
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export default {
  async fetch(request: Request, env: CeilingEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/bare') return new Response('{"ok":true}', { headers: JSON_HEADERS });
    if (url.pathname === '/sqlite' && request.method === 'POST') {
      const stub = env.CEILING.get(env.CEILING.idFromName(url.searchParams.get('account') ?? 'hot'));
      const row = await stub.write(await request.text());
      return new Response(JSON.stringify(row), { headers: JSON_HEADERS });
    }
    return new Response('{"error":"not found"}', { status: 404, headers: JSON_HEADERS });
  },
} satisfies ExportedHandler<CeilingEnv>;
