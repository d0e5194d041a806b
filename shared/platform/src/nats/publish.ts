/** Publishing hub events to JetStream as a direct publisher does (the protobuf contract, its own ids). */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventSubject, type HubEvent } from '@hub/domain';
import { encodeEvent } from '../codec.js';

/**
 * Publishes each event to its subject with `Nats-Msg-Id = agency/recordId/revision`, awaiting
 * each ack (small volumes: demo data, tools).
 *
 * @example
 * await publishEvents(nc, [event]);
 */
export async function publishEvents(nc: NatsConnection, events: readonly HubEvent[]): Promise<void> {
  const js = jetstream(nc);
  for (const e of events) {
    await js.publish(eventSubject(e.agency, e.type, e.business.uscc), encodeEvent(e), {
      msgID: `${e.agency}/${e.source.recordId}/${e.source.revision}`,
    });
  }
}
