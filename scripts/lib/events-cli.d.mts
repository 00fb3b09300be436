// Types of events-cli.mjs for the TypeScript tests that drive it against the Worker.
export interface EventLike {
  readonly id: string;
  readonly type: string;
  readonly created: number;
}
export interface PollOptions {
  readonly api: string;
  readonly key: string;
  readonly types?: readonly string[];
}
type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;
export const USER_AGENT: string;
export function newLocalSecret(): string;
export function signatureHeader(body: string, secret: string, timestampSeconds: number): string;
export function latestEventId(fetchImpl: FetchLike, options: PollOptions): Promise<string | null>;
export function eventsSince<T extends EventLike = EventLike>(fetchImpl: FetchLike, options: PollOptions, after: string | null): Promise<T[]>;
export function forwardEvent(
  fetchImpl: FetchLike,
  event: EventLike,
  target: { readonly to: string; readonly secret: string; readonly nowSeconds?: number },
): Promise<{ status: number } | { error: string }>;
export function describeEvent(event: EventLike, outcome?: { status?: number; error?: string }): string;
