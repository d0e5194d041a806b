/** Small building blocks shared by the pages: links, errors, loading, a data hook. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiDown, ApiError, api } from '../lib/api';
import { agencyColour, agencyName } from '../lib/format';
import { onLinkClick } from '../lib/router';

export function Link(props: { href: string; class?: string; children: ComponentChildren }) {
  return (
    <a href={props.href} class={props.class} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}

export function AgencyTag({ code }: { code: string }) {
  return (
    <span class={`tag ${agencyColour(code)}`} title={code}>
      {agencyName(code)}
    </span>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiDown) return null; // the banner says it
  const lines =
    error instanceof ApiError
      ? error.messages
      : [error instanceof Error ? error.message : JSON.stringify(error)];
  const title =
    error instanceof ApiError && error.status === 403
      ? '无权访问 (not allowed for this token)'
      : error instanceof ApiError && error.status === 404
        ? '未找到 (not found)'
        : '出错了 (something went wrong)';
  return (
    <div class="error" role="alert">
      <strong>{title}</strong>
      <ul>
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

export const Loading = () => (
  <p class="muted" aria-live="polite">
    加载中… (loading)
  </p>
);

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (undefined: nothing to load) and reloads when it changes. */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === undefined) {
      setData(undefined);
      return;
    }
    let live = true;
    setLoading(true);
    setError(undefined);
    api<T>(path)
      .then((d) => live && setData(d))
      .catch((e: unknown) => {
        if (!live) return;
        setError(e);
        setData(undefined);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function PageTitle({ zh, en }: { zh: string; en: string }) {
  useEffect(() => {
    document.title = `${zh} · 执法信息共享平台`;
  }, [zh]);
  return (
    <h1>
      {zh} <span class="en">{en}</span>
    </h1>
  );
}

/** "Load more" for cursor pages. */
export function More({
  cursor,
  onMore,
  busy,
}: {
  cursor: string | null;
  onMore: () => void;
  busy?: boolean;
}) {
  if (!cursor) return null;
  return (
    <button type="button" class="secondary" onClick={onMore} disabled={busy}>
      加载更多 (more)
    </button>
  );
}

export interface Paged<T> {
  items: T[];
  next: string | null;
  error: unknown;
  loading: boolean;
  more: () => void;
  reload: () => void;
}

/** A cursor-paged list: the first page for `path`, then `more()` appends the next. */
export function usePaged<T>(path: string | undefined): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const load = useCallback(
    async (cursor: string | null, append: boolean, isLive: () => boolean) => {
      if (path === undefined) return;
      setLoading(true);
      setError(undefined);
      try {
        const sep = path.includes('?') ? '&' : '?';
        const page = await api<{ items: T[]; nextCursor: string | null }>(
          cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
        );
        if (!isLive()) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setNext(page.nextCursor);
      } catch (e) {
        if (!isLive()) return;
        setError(e);
        if (!append) setItems([]);
      } finally {
        if (isLive()) setLoading(false);
      }
    },
    [path],
  );
  useEffect(() => {
    let live = true;
    setItems([]);
    setNext(null);
    void load(null, false, () => live);
    return () => {
      live = false;
    };
  }, [load, tick]);
  return {
    items,
    next,
    error,
    loading,
    more: () => void load(next, true, () => true),
    reload: () => setTick((t) => t + 1),
  };
}
