/** Events as stored by `emit`: retrieve and list (filters: type with `*` wildcard, types[], created). */
import { resourceMissing } from '../../src/domain/errors';
import { ok } from '../../src/domain/result';
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
  readonly type?: string;
}

export const listEvents: Handler<EventListCommand> = (ctx, command) =>
  listPage<EventJson>(ctx, {
    type: 'event',
    url: '/v1/events',
    list: command.list,
    equals: command.type === undefined ? {} : { status: command.type },
    render: (event) => event,
  });
