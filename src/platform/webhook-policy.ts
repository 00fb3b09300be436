/**
 * The deployment's webhook URL policy: live mode always strict; test mode admits loopback hosts
 * only when `WEBHOOKS_ALLOW_LOCALHOST=true` (a local-development setting, see README), so a
 * developer can receive test events on their own machine. Read at registration and at send time.
 */
import type { UrlPolicyOptions } from '../domain/webhooks/url-policy';

export function webhookUrlPolicy(env: Pick<Env, 'WEBHOOKS_ALLOW_LOCALHOST'>, livemode: boolean): UrlPolicyOptions {
  return { livemode, allowLocalhost: !livemode && env.WEBHOOKS_ALLOW_LOCALHOST === 'true' };
}
