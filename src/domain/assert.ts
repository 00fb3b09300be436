/**
 * Programmer-error assertions. A failed assertion means our own code is wrong: it throws
 * InvariantViolation, which rolls back the surrounding DO transaction and surfaces as a
 * logged 500 api_error. Never use these for bad input; return a Result instead.
 */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}

export function assertNever(value: never, message = 'unexpected value'): never {
  throw new InvariantViolation(`${message}: ${JSON.stringify(value)}`);
}
