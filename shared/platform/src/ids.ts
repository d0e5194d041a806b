import { uuidv7 } from 'uuidv7';

/** A time-ordered event id (UUID version 7). */
export const newEventId = (): string => uuidv7();

/** Milliseconds since the epoch encoded in a UUIDv7. */
export const eventIdTime = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
