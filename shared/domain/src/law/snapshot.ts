/**
 * The legal rules' state as JSON, for a snapshot in the read model (beside the coordination
 * rules' state): a start then folds only the timeline after the snapshot through the rules.
 * Maps, sets and `undefined` are tagged so the state comes back exactly as it was — the same
 * alerts, the same ids, whatever is folded after it.
 *
 * @example
 * const json = JSON.stringify(serializeLawState(state));
 * const back = restoreLawState(JSON.parse(json));
 */
import type { LawState } from './types.js';

const MAP = '\u0000map';
const SET = '\u0000set';
const UNDEFINED = '\u0000undefined';

function encode(value: unknown): unknown {
  if (value === undefined) return { [UNDEFINED]: 0 };
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof Map) return { [MAP]: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { [SET]: [...value].map(encode) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encode(v);
  return out;
}

function decode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(decode);
  const o = value as Record<string, unknown>;
  if (UNDEFINED in o) return undefined;
  if (MAP in o) return new Map((o[MAP] as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
  if (SET in o) return new Set((o[SET] as unknown[]).map(decode));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v);
  return out;
}

/** JSON-safe form of the legal rules' state; `restoreLawState` reads it back. */
export const serializeLawState = (state: LawState): unknown => ({ v: 1, state: encode(state) });

/** The state `serializeLawState` wrote; throws on anything else (the caller folds the timeline instead). */
export function restoreLawState(json: unknown): LawState {
  const j = json as { v?: unknown; state?: unknown } | null;
  if (j?.v !== 1 || typeof j.state !== 'object' || j.state === null)
    throw new TypeError('not a legal rules snapshot');
  return decode(j.state) as LawState;
}
