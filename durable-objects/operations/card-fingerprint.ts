/** A card's fingerprint: stable per card number and account, keyed (a bare hash of a PAN is guessable). */
import { fingerprintFromDigest, fingerprintInput } from '../../src/domain/cards/fingerprint';
import type { OperationContext } from '../context';

export function cardFingerprint(ctx: OperationContext, number: string): string {
  return fingerprintFromDigest(ctx.keyedDigest(fingerprintInput(`${ctx.accountId}:${ctx.livemode ? 'live' : 'test'}`, number)));
}
