/**
 * Lost acknowledged writes, the way a power cut loses them from nats-server's file store when
 * it has not synced (no `sync_interval: always`): the stream's message blocks written after a
 * checkpoint are gone — later blocks deleted, the block that was last cut back to its size at
 * the checkpoint — and the per-block index files with them, so the server rebuilds its state
 * from what is left. Only while nats-server is stopped.
 */
import { readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_STREAM } from '@hub/domain';
import { postJson } from './agency-fixtures.js';
import { sampleInspectionCompleted } from '@hub/testing';

export interface BlockCheckpoint {
  readonly dir: string;
  readonly sizes: ReadonlyMap<string, number>;
}

const msgsDir = (storeDir: string, stream = EVENTS_STREAM) =>
  join(storeDir, 'jetstream', '$G', 'streams', stream, 'msgs');

/** The events stream's message blocks and their sizes now (nats-server stopped). */
export function checkpointBlocks(storeDir: string): BlockCheckpoint {
  const dir = msgsDir(storeDir);
  const sizes = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.blk'))
      .map((f) => [f, statSync(join(dir, f)).size] as const),
  );
  return { dir, sizes };
}

/** Deletes what was written to the blocks after the checkpoint; returns the files touched. */
export function loseWritesSince(cp: BlockCheckpoint): string[] {
  const touched: string[] = [];
  for (const f of readdirSync(cp.dir)) {
    const path = join(cp.dir, f);
    if (!f.endsWith('.blk')) {
      rmSync(path); // .idx, .fss: rebuilt from the blocks
      continue;
    }
    const keep = cp.sizes.get(f);
    if (keep === undefined) {
      rmSync(path);
      touched.push(f);
    } else if (statSync(path).size > keep) {
      truncateSync(path, keep);
      touched.push(f);
    }
  }
  return touched;
}

/** Posts `count` GSJ inspections (one per request); returns their event ids in order. */
export async function postInspections(
  url: string,
  token: string,
  from: number,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const res = await postJson(
      url,
      { events: [sampleInspectionCompleted(i, { recordId: `REC-${i}` })] },
      token,
    );
    if (res.status !== 202) throw new Error(`POST ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.events[0].eventId as string);
  }
  return ids;
}
