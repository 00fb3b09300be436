/**
 * WebhookEndpoint → Stripe's `webhook_endpoint` object (CONTRACT.md §5.11). The signing secret
 * is not part of the stored endpoint: it is shown only in the create (and rotate) response.
 */
export interface WebhookEndpoint {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly url: string;
  readonly enabledEvents: readonly string[];
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly status: 'enabled' | 'disabled';
  readonly apiVersion: string | null;
}

export function toWebhookEndpointJson(endpoint: WebhookEndpoint, secret?: string) {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint' as const,
    api_version: endpoint.apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: [...endpoint.enabledEvents],
    livemode: endpoint.livemode,
    metadata: { ...endpoint.metadata },
    ...(secret === undefined ? {} : { secret }),
    status: endpoint.status,
    url: endpoint.url,
  };
}

export function toDeletedWebhookEndpointJson(id: string) {
  return { id, object: 'webhook_endpoint' as const, deleted: true as const };
}
