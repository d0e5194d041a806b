import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

// The default generator asks the OS for random bytes on every id (a syscall per event on the
// ingest path); this one draws 32-bit words from a pooled buffer, refilled 4 KiB at a time.
const pool = new Uint32Array(1024);
let next = pool.length;
const generator = new V7Generator({
  nextUint32() {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]!;
  },
});

/** A time-ordered event id (UUID version 7, monotonic within this process). */
export const newEventId = (): string => generator.generate().toString();

/** Milliseconds since the epoch encoded in a UUIDv7. */
export const eventIdTime = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
