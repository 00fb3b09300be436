/** `expand[]` paths a resource does not support are refused as Stripe does. */
import { invalidRequest, type WireError } from '../../stripe/errors';

export function rejectExpansions(paths: readonly string[] | undefined, expandable: readonly string[]): WireError | null {
  for (const path of paths ?? []) {
    const head = path.split('.')[0]!;
    if (!expandable.includes(head)) return invalidRequest(`This property cannot be expanded (${path}).`, 'expand', null);
  }
  return null;
}
