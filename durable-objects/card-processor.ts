/** The simulated card processor. Implementation in progress (issue #4); see the helper brief. */
import { DurableObject } from 'cloudflare:workers';

export class CardProcessor extends DurableObject<Env> {}
