/**
 * Timeline rows written straight into a projector's working copy, with the position, as the
 * projector commits them: for tests of what the PostgreSQL writer ships.
 */
import type { SqliteDb } from '@hub/read-model';

/** `n` timeline rows after `from` (seq from+1 … from+n) and the position from+n, in one transaction. */
export function applyTimelineRows(
  sqlite: SqliteDb,
  from: number,
  n: number,
  payload: (seq: number) => string = () => '{}',
): void {
  sqlite.transaction(() => {
    const insert = sqlite.prepare(
      `INSERT INTO timeline (seq, event_id, uscc, business_name, agency, event_type, occurred_at, recorded_at,
         source_system, source_record_id, revision, payload_json, status)
       VALUES (?, ?, ?, '示例商贸', 'GSJ', 'inspection.completed', ?, ?, 'gsj-case', ?, 1, ?, 'active')`,
    );
    for (let seq = from + 1; seq <= from + n; seq++) {
      const at = new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString();
      const uscc = `91350100M000${String(seq % 100).padStart(5, '0')}X`;
      insert.run(seq, `ev-${seq}`, uscc, at, at, `r-${seq}`, payload(seq));
    }
    sqlite
      .prepare(
        "INSERT INTO projection_position (name, last_seq) VALUES ('events', ?) ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq",
      )
      .run(from + n);
  })();
}
