/**
 * The billing side of a customer write: `invoice_settings[default_payment_method]` must name a
 * PaymentMethod attached to this customer, and `test_clock` an existing clock with room left.
 */
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { TEST_CLOCK_CUSTOMERS_MAX } from '../../src/domain/limits';
import { err, ok, type Result } from '../../src/domain/result';
import type { CustomerWriteCommand } from '../../src/stripe/params/customers';
import type { OperationContext } from '../context';
import { listObjects } from '../store';
import { loadTestClock } from './invoice-store';
import { loadPaymentMethod } from './payment-methods';

export function checkCustomerBilling(ctx: OperationContext, customerId: string, command: CustomerWriteCommand): Result<{ testClock: string | null }, DomainError> {
  const method = command.fields.defaultPaymentMethod;
  if (method !== undefined && method !== null) {
    const stored = loadPaymentMethod(ctx, method);
    if (!stored || stored.data.customer !== customerId) {
      return err(
        invalidRequestError(
          `No such PaymentMethod: '${method}'; it must be attached to customer ${customerId} before it can be its default.`,
          'invoice_settings[default_payment_method]',
          'resource_missing',
        ),
      );
    }
  }
  if (command.testClock === undefined) return ok({ testClock: null });
  const clock = loadTestClock(ctx, command.testClock);
  if (!clock) return err(resourceMissing('test_clock', command.testClock, 'test_clock'));
  const attached = listObjects(ctx.sql, { type: 'customer', limit: TEST_CLOCK_CUSTOMERS_MAX, equals: { parent: clock.id } }).objects.length;
  if (attached >= TEST_CLOCK_CUSTOMERS_MAX) {
    return err(invalidRequestError(`A test clock can have at most ${TEST_CLOCK_CUSTOMERS_MAX} customers.`, 'test_clock'));
  }
  return ok({ testClock: clock.id });
}
