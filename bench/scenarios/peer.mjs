// Peer: stripe-stateful-mock (npm, unmodified, in memory) on the same core, same load generator.
import { dynamicRequest } from '../lib/load.mjs';
import { randomId } from '../../scripts/lib/keys.mjs';
import { formHeaders } from '../lib/harness.mjs';

const peerKey = () => `sk_test_${randomId('bench', 12).replace('_', '')}`;

export const peerScenarios = [
  {
    id: 'peer.customers',
    title: 'Peer stripe-stateful-mock: POST /v1/customers',
    server: 'peer',
    prepare: async () => ({ key: peerKey() }),
    requests: ({ key }) => [
      dynamicRequest({
        method: 'POST',
        path: '/v1/customers',
        headers: formHeaders(key),
        body: (n) => `email=bench${n}%40example.com&name=Bench+${n}`,
      }),
    ],
  },
  {
    id: 'peer.charges',
    title: 'Peer stripe-stateful-mock: POST /v1/charges source=tok_visa',
    server: 'peer',
    prepare: async () => ({ key: peerKey() }),
    requests: ({ key }) => [
      dynamicRequest({
        method: 'POST',
        path: '/v1/charges',
        headers: formHeaders(key),
        body: (n) => `amount=${1000 + (n % 1000)}&currency=usd&source=tok_visa&description=bench+${n}`,
      }),
    ],
  },
];
