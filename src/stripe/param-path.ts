/** zod issue path ['items', 0, 'price'] → Stripe's bracket notation `items[0][price]`. */
export function toParamPath(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map((p) => String(p));
  if (head === undefined) return '';
  return head + rest.map((p) => `[${p}]`).join('');
}
