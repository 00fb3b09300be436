/** Events as stored by `emit`: retrieve and list (filters: type with `*` wildcard, types[], created). */
import { resourceMissing } from '../../src/domain/errors';
import { ok } from '../../src/domain/result';
import type { TypePattern } from '../../src/domain/webhooks/event-types';
import type { ListArgs } from '../../src/stripe/list';
import type { EventJson, Handler } from '../context';
import { readObject } from '../store';
import { listPage } from './lists';

export const retrieveEvent: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = readObject<EventJson>(ctx.sql, id, 'event');
  if (!stored) return { ok: false, error: resourceMissing('event', id) };
  return ok(stored.data);
};

export interface EventListCommand {
  readonly list: ListArgs;
  /** Any of these (exact types or `prefix*` wildcards); absent = every type. */
  readonly types?: readonly TypePattern[];
}

export const listEvents: Handler<EventListCommand> = (ctx, command) =>
  listPage<EventJson>(ctx, {
    type: 'event',
    url: '/v1/events',
    list: command.list,
    equals: {},
    ...(command.types === undefined ? {} : { statusAnyOf: command.types }),
    render: (event) => event,
  });
