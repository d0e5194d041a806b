/**
 * The dashboard's shared state: the signed-in principal, whether the API answers, a message for
 * the sign-in page. A tiny observable; pages read it with `useStore()`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Me } from './types';

export interface State {
  /** The principal of the token in sessionStorage, once `GET /v1/me` answered. */
  me: Me | undefined;
  /** Why the API could not be read, while it cannot; undefined when it answers. */
  apiDown: string | undefined;
  /** Shown once on the sign-in page (e.g. the token was revoked). */
  notice: string | undefined;
  /** Agency code → 中文名称, from `GET /v1/agencies`. */
  agencyNames: Record<string, string>;
}

let state: State = { me: undefined, apiDown: undefined, notice: undefined, agencyNames: {} };
const listeners = new Set<() => void>();

export const getState = (): State => state;

export function setState(patch: Partial<State>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useStore(): State {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
}
