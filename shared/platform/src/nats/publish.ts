/** Publishing hub events to JetStream as a direct publisher does (the protobuf contract, its own ids). */
import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { eventSubject, type HubEvent } from '@hub/domain';
import { encodeEvent } from '../codec.js';

/**
 * How long a tool waits for each ack: a busy server (a small machine catching up, fsyncing) may
 * take seconds, and a tool retried by hand costs more than a patient one.
 */
export const TOOL_ACK_TIMEOUT_MS = 30_000;

/**
 * Publishes each event to its subject with `Nats-Msg-Id = agency/recordId/revision`, awaiting
 * each ack (small volumes: demo data, tools). With `sign`, each message carries the headers it
 * returns (the publishing department's signature, as the projector requires).
 *
 * @example
 * await publishEvents(nc, [event]);
 * await publishEvents(nc, [event], { sign: (body) => signatureHeaders(key, body) });
 */
export async function publishEvents(
  nc: NatsConnection,
  events: readonly HubEvent[],
  opts: { sign?: (body: Uint8Array, event: HubEvent) => readonly (readonly [string, string])[] } = {},
): Promise<void> {
  const js = jetstream(nc, { timeout: TOOL_ACK_TIMEOUT_MS });
  for (const e of events) {
    const body = encodeEvent(e);
    const h = opts.sign ? natsHeaders() : undefined;
    for (const [k, v] of opts.sign?.(body, e) ?? []) h?.set(k, v);
    await js.publish(eventSubject(e.agency, e.type, e.business.uscc), body, {
      msgID: `${e.agency}/${e.source.recordId}/${e.source.revision}`,
      ...(h ? { headers: h } : {}),
    });
  }
}
