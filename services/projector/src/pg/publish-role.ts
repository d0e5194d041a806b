/**
 * Over PostgreSQL only the projector holding the writer lock publishes (alerts, dead-letter
 * notices) and answers `hub dlq retry`; standbys stay silent.
 *
 * A standby keeps its own record of what was published moving without publishing: alerts and
 * dead letters at or below the position PostgreSQL had reached `holdMs` ago (10 minutes) count as
 * published — the active projector publishes right after each commit, before it ships. When the
 * standby takes the lock it publishes everything its record lacks: at most the last minutes, each
 * with the `Nats-Msg-Id` the active one used, well inside the streams' 24-hour duplicate window,
 * so JetStream keeps one copy of each.
 */
import type { Logger } from '@hub/platform';
import type { Projector } from '../projector.js';
import type { PgWriter } from './pg-writer.js';

export interface PublishRole {
  /** True while this projector holds the writer lock. */
  publishing(): boolean;
  stop(): void;
}

export function createPublishRole(opts: {
  writer: PgWriter;
  projector: () => Projector | undefined;
  log: Logger;
  /** How old a PostgreSQL position must be for a standby to count it published. @default 600000 */
  holdMs?: number;
  /** @default 1000 */
  tickMs?: number;
}): PublishRole {
  const holdMs = opts.holdMs ?? 600_000;
  const seen: { at: number; position: number }[] = [];
  let wasActive = false;
  const tick = () => {
    const st = opts.writer.status();
    const now = Date.now();
    seen.push({ at: now, position: st.pgPosition });
    let trailing: number | undefined;
    while (seen.length > 0 && seen[0]!.at <= now - holdMs) trailing = seen.shift()!.position;
    if (trailing !== undefined) seen.unshift({ at: now - holdMs, position: trailing });
    const active = st.role === 'active';
    if (active && !wasActive) {
      opts.log.info(
        '开始发布预警与死信通知 (publishing alerts and dead-letter notices: this projector writes)',
      );
      opts.projector()?.resumePublishing();
    } else if (!active && trailing !== undefined) {
      opts.projector()?.assumePublishedUpTo(trailing);
    }
    wasActive = active;
  };
  const timer = setInterval(tick, opts.tickMs ?? 1000);
  timer.unref();
  return {
    publishing: () => opts.writer.status().role === 'active',
    stop: () => clearInterval(timer),
  };
}
