// Ceilings: the same workerd (same Miniflare, same pinning) running bench/workers/ceiling.ts.
import { dynamicRequest } from '../lib/load.mjs';
import { randomId } from '../../scripts/lib/keys.mjs';

export const ceilingScenarios = [
  {
    id: 'ceiling.a',
    title: 'Ceiling A: bare route, no bindings (GET /bare)',
    server: 'ceiling',
    requests: () => [{ method: 'GET', path: '/bare' }],
  },
  {
    id: 'ceiling.b',
    title: 'Ceiling B: Worker → one hot DO → one SQLite transaction (POST /sqlite)',
    server: 'ceiling',
    // A fresh DO per run, like every edgepay write scenario gets a fresh account.
    prepare: async () => ({ account: randomId('hot', 9) }),
    requests: ({ account }) => [
      dynamicRequest({
        method: 'POST',
        path: `/sqlite?account=${account}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: (n) => `email=bench${n}%40example.com&name=Bench+${n}`,
      }),
    ],
  },
];
