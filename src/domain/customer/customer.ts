/** The customer record as the account DO stores it (camelCase; the wire shape lives in src/stripe/objects). */
export interface Address {
  readonly city: string | null;
  readonly country: string | null;
  readonly line1: string | null;
  readonly line2: string | null;
  readonly postalCode: string | null;
  readonly state: string | null;
}

export interface Customer {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly email: string | null;
  readonly name: string | null;
  readonly description: string | null;
  readonly phone: string | null;
  readonly address: Address | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly preferredLocales: readonly string[];
  readonly invoicePrefix: string;
  readonly defaultPaymentMethod: string | null;
  readonly balance: number;
  readonly currency: string | null;
  /** The number the customer's next finalized invoice takes (absent on records older than invoices: 1). */
  readonly nextInvoiceSequence?: number;
  readonly deleted: boolean;
  /** The test clock this customer (and its invoices and subscriptions) lives on. */
  readonly testClock?: string | null;
}

export interface CustomerFields {
  readonly email?: string | null;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly phone?: string | null;
  readonly address?: Address | null;
  readonly preferredLocales?: readonly string[];
  /** `invoice_settings[default_payment_method]`: checked by the account (exists, attached here). */
  readonly defaultPaymentMethod?: string | null;
}

/** Applies a partial update: absent fields stay, null unsets. */
export function applyCustomerFields(customer: Customer, fields: CustomerFields, metadata: Record<string, string>): Customer {
  const next: { -readonly [K in keyof Customer]: Customer[K] } = { ...customer, metadata };
  if (fields.email !== undefined) next.email = fields.email;
  if (fields.name !== undefined) next.name = fields.name;
  if (fields.description !== undefined) next.description = fields.description;
  if (fields.phone !== undefined) next.phone = fields.phone;
  if (fields.address !== undefined) next.address = fields.address;
  if (fields.preferredLocales !== undefined) next.preferredLocales = fields.preferredLocales;
  if (fields.defaultPaymentMethod !== undefined) next.defaultPaymentMethod = fields.defaultPaymentMethod;
  return next;
}

/** Top-level wire keys whose values differ, for `previous_attributes` on `*.updated` events. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
  }
  return previous;
}
