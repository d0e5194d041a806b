/**
 * Calls to the query API (same origin). The bearer token lives in sessionStorage only: never in
 * the URL, gone when the tab closes. A refused token signs the user out with a message; a
 * connection failure or a 503 raises the "API down" banner and a health poll lowers it again.
 */
import { getState, setState } from './store';
import type { Me, Problem } from './types';

const TOKEN_KEY = 'hub.dashboard.token';

export const readToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  /** The field messages, or the detail: what a page shows. */
  get messages(): string[] {
    const fields = (this.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
    return fields.length > 0 ? fields : [this.message];
  }
}

/** The API could not be reached (connection refused, timeout). */
export class ApiDown extends Error {}

let healthTimer: number | undefined;

function markDown(reason: string): void {
  if (getState().apiDown === undefined) setState({ apiDown: reason });
  healthTimer ??= window.setInterval(() => void pollHealth(), 3000);
}

async function pollHealth(): Promise<void> {
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    if (res.ok) {
      window.clearInterval(healthTimer);
      healthTimer = undefined;
      setState({ apiDown: undefined });
    }
  } catch {
    // still down
  }
}

export function signOut(notice?: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  setState({ me: undefined, notice });
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** A token to try instead of the stored one (sign-in). */
  token?: string;
  /** Public endpoint: no token needed. */
  anonymous?: boolean;
}

export async function api<T>(path: string, opts: CallOptions = {}): Promise<T> {
  const token = opts.token ?? readToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token && !opts.anonymous) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: 'no-store',
    });
  } catch (err) {
    markDown('无法连接查询接口 (the query API cannot be reached)');
    throw new ApiDown(String(err));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.ok) {
    if (getState().apiDown !== undefined) setState({ apiDown: undefined });
    return body as T;
  }
  const problem: Problem = (body as Problem | undefined) ?? { status: res.status, detail: text };
  if (res.status === 503 || res.status === 502 || res.status === 504) {
    markDown(problem.detail ?? problem.title ?? `查询接口暂不可用 (the query API answered ${res.status})`);
  } else if (getState().apiDown !== undefined) setState({ apiDown: undefined });
  if (res.status === 401 && opts.token === undefined && !opts.anonymous) {
    signOut('令牌已失效或已被吊销，请重新登录 (the token expired or was revoked: sign in again)');
  }
  throw new ApiError(res.status, problem);
}

/** Verifies a token and keeps it for this tab. */
export async function signIn(token: string): Promise<Me> {
  const me = await api<Me>('/v1/me', { token });
  sessionStorage.setItem(TOKEN_KEY, token);
  setState({ me, notice: undefined });
  void loadAgencyNames();
  return me;
}

/** On start: the stored token's principal, if it still holds. */
export async function restoreSession(): Promise<void> {
  if (!readToken()) return;
  try {
    setState({ me: await api<Me>('/v1/me') });
    void loadAgencyNames();
  } catch {
    // signed out (401) or the API is down: the banner says so
  }
}

async function loadAgencyNames(): Promise<void> {
  try {
    const list = await api<{ items: { code: string; name: string }[] }>('/v1/agencies');
    setState({ agencyNames: Object.fromEntries(list.items.map((a) => [a.code, a.name])) });
  } catch {
    // codes are shown instead
  }
}

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}
