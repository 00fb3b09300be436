/**
 * Webhook endpoint parameters (CONTRACT.md §5.11) plus edgepay's extensions (secret rotation,
 * manual redelivery, the delivery log), and the `/v1/events` filters (§5.10).
 */
import { z } from 'zod';
import {
  EVENT_TYPES_FILTER_MAX,
  SHORT_STRING_LENGTH_MAX,
  WEBHOOK_DELIVERY_LOG_LIMIT_MAX,
  WEBHOOK_ENABLED_EVENTS_MAX,
  WEBHOOK_SECRET_OVERLAP_MAX_SECONDS,
  WEBHOOK_URL_LENGTH_MAX,
} from '../../domain/limits';
import { isSubscribableEventType, parseTypePattern, type TypePattern } from '../../domain/webhooks/event-types';
import { arrayParam, booleanParam, clearableString, expandParam, idParam, integerParam, issue, listParams, metadataParam, requiredString } from './common';

const enabledEventsParam = arrayParam(
  z.string().transform((text, ctx) => (isSubscribableEventType(text) ? text : issue(ctx, `Invalid event type: '${text.slice(0, 100)}' is not a known event type.`, 'parameter_invalid'))),
  WEBHOOK_ENABLED_EVENTS_MAX,
).refine((events) => events.length > 0, { message: 'You must specify at least one enabled event.' });

// URLs are checked against the SSRF policy by the route (it needs the mode and dev setting).
const urlParam = requiredString(WEBHOOK_URL_LENGTH_MAX + 1);

export const WebhookEndpointCreateParams = z.strictObject({
  url: urlParam,
  enabled_events: enabledEventsParam,
  description: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  api_version: z.string().regex(/^\d{4}-\d{2}-\d{2}(?:\.[a-z]+)?$/, 'Invalid API version.').optional(),
  connect: booleanParam.refine((v) => !v, { message: 'Connect webhook endpoints are not supported.' }).optional(),
  expand: expandParam.optional(),
});

export const WebhookEndpointUpdateParams = z.strictObject({
  url: urlParam.optional(),
  enabled_events: enabledEventsParam.optional(),
  description: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  disabled: booleanParam.optional(),
  expand: expandParam.optional(),
});

export const WebhookEndpointListParams = z.strictObject({ ...listParams });
export const ExpandOnlyParams = z.strictObject({ expand: expandParam.optional() });

export const WebhookSecretRotateParams = z.strictObject({
  expires_in: integerParam
    .refine((n) => n >= 0 && n <= WEBHOOK_SECRET_OVERLAP_MAX_SECONDS, { message: `expires_in must be between 0 and ${WEBHOOK_SECRET_OVERLAP_MAX_SECONDS} seconds.` })
    .optional(),
});

export const WebhookRedeliverParams = z.strictObject({ event: idParam('event') });

export const WebhookDeliveryListParams = z.strictObject({
  limit: integerParam
    .refine((n) => n >= 1 && n <= WEBHOOK_DELIVERY_LOG_LIMIT_MAX, { message: `Invalid limit: must be between 1 and ${WEBHOOK_DELIVERY_LOG_LIMIT_MAX}.` })
    .optional(),
  starting_after: idParam('webhook_attempt').optional(),
  event: idParam('event').optional(),
});

const typePatternParam = z.string().transform((text, ctx): TypePattern => parseTypePattern(text) ?? issue(ctx, `Invalid event type filter: '${text.slice(0, 100)}'.`, 'parameter_invalid'));

export const EventListParams = z
  .strictObject({
    ...listParams,
    type: typePatternParam.optional(),
    types: arrayParam(typePatternParam, EVENT_TYPES_FILTER_MAX).optional(),
  })
  .superRefine((params, ctx) => {
    if (params.type !== undefined && params.types !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['types'], message: 'You may only specify one of these parameters: type, types.', params: { stripeCode: 'parameters_exclusive' } });
    }
  });
