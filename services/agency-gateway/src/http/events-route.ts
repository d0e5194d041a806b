/**
 * POST /v1/events: one event, `{ "events": [...] }` or a JSON array. All or nothing: when any
 * event of a batch fails, the answer names every failing item (`events.<i>.<field>`) and
 * nothing is stored. 202 with the event ids only after the outbox commit.
 */
import type { FastifyInstance } from 'fastify';
import { HubError, type SubmittedEvent } from '@hub/domain';
import { checkSubmission, toOutboxEntry, type Issue } from '../ingest.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../clock.js';
import { assertMayIngest } from './auth.js';

export interface EventsRouteOptions {
  outbox: Outbox;
  agencies: readonly string[];
  clock: Clock;
  maxBatch: number;
  futureSkewMs?: number;
}

export interface AcceptedEvent {
  index: number;
  eventId: string;
  status: 'accepted' | 'duplicate';
}

/** Splits a body into items; `batch` tells whether field names get an `events.<i>.` prefix. */
function itemsOf(body: unknown, maxBatch: number): { items: unknown[]; batch: boolean } {
  const batchBody =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).length === 1 &&
    'events' in body
      ? body.events
      : undefined;
  if (batchBody !== undefined && !Array.isArray(batchBody)) {
    throw new HubError('VALIDATION_FAILED', 'events 应为数组 (events must be an array)', {
      issues: [{ field: 'events', message: '应为数组 (must be an array)' }],
    });
  }
  const list = Array.isArray(body) ? body : batchBody;
  if (list === undefined) return { items: [body], batch: false };
  if (list.length === 0) {
    throw new HubError('VALIDATION_FAILED', '批量为空 (empty batch)', {
      issues: [{ field: 'events', message: '至少一条事件 (at least one event)' }],
    });
  }
  if (list.length > maxBatch) {
    throw new HubError(
      'PAYLOAD_TOO_LARGE',
      `一批最多 ${maxBatch} 条事件 (at most ${maxBatch} events per batch), got ${list.length}`,
      {
        issues: [{ field: 'events', message: `最多 ${maxBatch} 条 (at most ${maxBatch})` }],
      },
    );
  }
  return { items: list as unknown[], batch: true };
}

const prefixed = (batch: boolean, index: number, issues: readonly Issue[]): Issue[] =>
  batch ? issues.map((i) => ({ ...i, field: `events.${index}.${i.field}`, index })) : [...issues];

/** The 202 answer, serialised from this schema (fast-json-stringify), not by JSON.stringify. */
const ACCEPTED_SCHEMA = {
  type: 'object',
  required: ['accepted', 'duplicates', 'events'],
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'eventId', 'status'],
        properties: {
          index: { type: 'integer' },
          eventId: { type: 'string' },
          status: { type: 'string', enum: ['accepted', 'duplicate'] },
        },
      },
    },
  },
} as const;

export function registerEventsRoute(app: FastifyInstance, opts: EventsRouteOptions): void {
  app.post('/v1/events', { schema: { response: { 202: ACCEPTED_SCHEMA } } }, async (req, reply) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new HubError(
        'UNSUPPORTED_MEDIA_TYPE',
        `不支持的内容类型 (unsupported content type): ${contentType || '(none)'}`,
        {
          issues: [{ field: 'content-type', message: '应为 application/json (must be application/json)' }],
        },
      );
    }
    const { items, batch } = itemsOf(req.body, opts.maxBatch);
    const now = opts.clock.now();
    const ctx = {
      agencies: opts.agencies,
      now,
      ...(opts.futureSkewMs !== undefined ? { futureSkewMs: opts.futureSkewMs } : {}),
    };
    const shape: Issue[] = [];
    const rules: Issue[] = [];
    const events: SubmittedEvent[] = [];
    items.forEach((item, i) => {
      const checked = checkSubmission(item, ctx);
      if (checked.ok) events.push(checked.event);
      else (checked.kind === 'shape' ? shape : rules).push(...prefixed(batch, i, checked.issues));
      // A rule-breaking event still names its agency: a token without it is refused first (403).
      const event = checked.event;
      if (event) assertMayIngest(req.principal, event.agency, batch ? `events.${i}.agency` : 'agency');
    });
    const count = (issues: Issue[]) => new Set(issues.map((i) => ('index' in i ? i.index : 0))).size;
    if (shape.length > 0) {
      throw new HubError(
        'VALIDATION_FAILED',
        `${count(shape)} 条事件格式错误，未接收任何事件 (${count(shape)} event(s) malformed; nothing accepted)`,
        { issues: [...shape, ...rules] },
      );
    }
    if (rules.length > 0) {
      throw new HubError(
        'RULE_VIOLATED',
        `${count(rules)} 条事件不符合业务规则，未接收任何事件 (${count(rules)} event(s) break rules; nothing accepted)`,
        { issues: rules },
      );
    }
    const outcomes = await opts.outbox.append(events.map((e) => toOutboxEntry(e, now)));
    const conflicts = outcomes.flatMap((o, i) => (o.status === 'conflict' ? [i] : []));
    if (conflicts.length > 0) {
      throw new HubError(
        'CONFLICT',
        '同一记录同一版本已以不同内容提交，请递增 source.revision (same record and revision already submitted with other content; increase source.revision)',
        {
          issues: conflicts.map((i) => ({
            field: batch ? `events.${i}.source.revision` : 'source.revision',
            message: `已存在事件 (existing event) ${outcomes[i]?.eventId ?? ''}`,
          })),
        },
      );
    }
    const accepted: AcceptedEvent[] = outcomes.map((o, index) => ({
      index,
      eventId: o.eventId,
      status: o.status === 'duplicate' ? 'duplicate' : 'accepted',
    }));
    return reply.code(202).send({
      accepted: accepted.filter((a) => a.status === 'accepted').length,
      duplicates: accepted.filter((a) => a.status === 'duplicate').length,
      events: accepted,
    });
  });
}
