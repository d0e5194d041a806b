/**
 * The token store: bearer tokens for HTTP ingest and the query API, kept hashed (sha256) in
 * `<HUB_DATA_DIR>/tokens.json` (mode 600). The plaintext is shown once, when issued.
 *
 * @example
 * const { token } = issueToken(dataDir, { name: '工商局业务系统', scopes: ['ingest:GSJ'] });
 * const store = openTokenStore(dataDir);
 * store.verify(token); // { id, name, scopes: ['ingest:GSJ'] }
 * revokeToken(dataDir, id); // true; verify now answers undefined
 */
import * as crypto from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { HubError, parseScope } from '@hub/domain';
import { createTokenUsageRecorder, readTokenUsage } from './token-usage.js';

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  /** sha256 of the token, hex. The token itself is never stored. */
  readonly sha256: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly revokedAt?: string | undefined;
  /** After this instant the token is refused. Absent: no expiry. */
  readonly expiresAt?: string | undefined;
}

/** What a verified token tells its user. */
export interface TokenPrincipal {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

interface TokenFile {
  version: 1;
  tokens: TokenRecord[];
}

export const tokensPath = (dataDir: string): string => join(dataDir, 'tokens.json');

export const hashToken = (token: string): string => crypto.hash('sha256', token, 'hex');

function readFile(path: string): TokenFile {
  if (!existsSync(path)) return { version: 1, tokens: [] };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<TokenFile>;
  return { version: 1, tokens: Array.isArray(parsed.tokens) ? parsed.tokens : [] };
}

// Write to a temporary file and rename, so a reader never sees half a file.
function writeFile(path: string, file: TokenFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  generation += 1;
}

// Bumped on every write by this process: its own stores re-read at once, without waiting for
// the file watch to report the change.
let generation = 0;

/** How long a store trusts its copy without looking at the file when no watch is available. */
const RECHECK_MS = 1000;

export interface IssueTokenOptions {
  name: string;
  scopes: readonly string[];
  /** Defaults to the wall clock; pass one in tests. */
  now?: Date;
  /** Refused after this instant (`hub token issue --expires`). */
  expiresAt?: Date | undefined;
}

/**
 * A new token and its record, checked (nothing stored): the one place the rules for a token
 * request live, for every store (this file, PostgreSQL).
 */
export function newToken(opts: IssueTokenOptions): { token: string; record: TokenRecord } {
  const issues = opts.scopes
    .map((s) => parseScope(s))
    .flatMap((r, i) => (r.ok ? [] : [{ field: `scopes.${i}`, message: r.message }]));
  if (opts.scopes.length === 0)
    issues.push({ field: 'scopes', message: '至少一个权限范围 (at least one scope)' });
  if (opts.name.trim() === '')
    issues.push({ field: 'name', message: '名称不能为空 (name must not be empty)' });
  const now = opts.now ?? new Date();
  if (opts.expiresAt !== undefined && !(opts.expiresAt.getTime() > now.getTime()))
    issues.push({ field: 'expires', message: '到期时间须在将来 (the expiry must be in the future)' });
  if (issues.length > 0)
    throw new HubError('VALIDATION_FAILED', '令牌参数无效 (invalid token request)', { issues });
  const token = `hub_${crypto.randomBytes(32).toString('base64url')}`;
  const record: TokenRecord = {
    id: `tok_${crypto.randomBytes(5).toString('hex')}`,
    name: opts.name.trim(),
    sha256: hashToken(token),
    scopes: opts.scopes.map((s) => s.trim()),
    createdAt: now.toISOString(),
    ...(opts.expiresAt ? { expiresAt: opts.expiresAt.toISOString() } : {}),
  };
  return { token, record };
}

/** Issues a new token; returns the plaintext (shown once) and the stored record. */
export function issueToken(dataDir: string, opts: IssueTokenOptions): { token: string; record: TokenRecord } {
  const issued = newToken(opts);
  const path = tokensPath(dataDir);
  const file = readFile(path);
  file.tokens.push(issued.record);
  writeFile(path, file);
  return issued;
}

/** Revokes a token by id; false when there is no such active token. */
export function revokeToken(dataDir: string, id: string, now: Date = new Date()): boolean {
  const path = tokensPath(dataDir);
  const file = readFile(path);
  const index = file.tokens.findIndex((t) => t.id === id && t.revokedAt === undefined);
  const found = file.tokens[index];
  if (found === undefined) return false;
  file.tokens[index] = { ...found, revokedAt: now.toISOString() };
  writeFile(path, file);
  return true;
}

/** Every token record (hashes only), revoked and expired ones included, with its last use. */
export function listTokens(dataDir: string): (TokenRecord & { lastUsedAt?: string | undefined })[] {
  const usage = readTokenUsage(dataDir);
  return readFile(tokensPath(dataDir)).tokens.map((t) => {
    const lastUsedAt = usage.get(t.id);
    return lastUsedAt ? { ...t, lastUsedAt } : t;
  });
}

export interface TokenStoreOptions {
  /** Record each token's last use under this process name (`hub token list` shows it). */
  recordUseAs?: string;
  /** Milliseconds since the epoch, for expiry and last use. @default Date.now */
  now?: () => number;
}

export interface TokenStore {
  /** The token's principal, or undefined when unknown, revoked or expired. */
  verify(token: string): TokenPrincipal | undefined;
}

/**
 * A verifier over the file that re-reads it when it changes, so tokens issued or revoked by
 * `hub token` take effect in running services without a restart.
 *
 * It does not look at the file on every request: a watch on the data directory (inotify)
 * reports changes made by other processes, writes made by this process are seen at once, and
 * where no watch can be set the file's stamp (mtime, size, inode) is checked at most once a
 * second. The watch does not keep the process alive.
 */
export function openTokenStore(dataDir: string, opts: TokenStoreOptions = {}): TokenStore {
  const path = tokensPath(dataDir);
  const clock = opts.now ?? Date.now;
  const usage = opts.recordUseAs ? createTokenUsageRecorder(dataDir, opts.recordUseAs) : undefined;
  let stamp = '';
  let byHash = new Map<string, { principal: TokenPrincipal; expiresAt: number }>();
  let seenGeneration = -1;
  let dirty = true;
  let checkedAt = 0;
  let watcher: FSWatcher | undefined;
  const startWatch = () => {
    try {
      watcher = watch(dataDir, { persistent: false }, (_event, name) => {
        if (name === null || name === 'tokens.json') dirty = true;
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
        dirty = true;
      });
    } catch {
      watcher = undefined; // no directory yet, or no watch here: fall back to the stamp check
    }
  };
  const refresh = () => {
    const st = statSync(path, { throwIfNoEntry: false });
    const next = st ? `${st.mtimeMs}:${st.size}:${st.ino}` : 'none';
    if (next === stamp) return;
    const active = readFile(path).tokens.filter((t) => t.revokedAt === undefined);
    byHash = new Map(
      active.map((t) => [
        t.sha256,
        {
          principal: { id: t.id, name: t.name, scopes: t.scopes },
          expiresAt: t.expiresAt ? Date.parse(t.expiresAt) : Number.POSITIVE_INFINITY,
        },
      ]),
    );
    stamp = next;
  };
  return {
    verify(token) {
      const now = Date.now();
      if (watcher === undefined && now - checkedAt >= RECHECK_MS) {
        startWatch();
        dirty = true;
      }
      if (dirty || seenGeneration !== generation) {
        // Cleared before reading: a change reported while reading marks the store dirty again.
        dirty = false;
        seenGeneration = generation;
        checkedAt = now;
        refresh();
      }
      const found = byHash.get(hashToken(token));
      if (found === undefined) return undefined;
      const at = clock();
      if (at >= found.expiresAt) return undefined;
      usage?.touch(found.principal.id, at);
      return found.principal;
    },
  };
}

/** One-shot check without keeping a store open. */
export function verifyToken(dataDir: string, token: string): TokenPrincipal | undefined {
  const sha256 = hashToken(token);
  const now = new Date().toISOString();
  const found = readFile(tokensPath(dataDir)).tokens.find(
    (t) => t.sha256 === sha256 && !t.revokedAt && (t.expiresAt === undefined || t.expiresAt > now),
  );
  return found && { id: found.id, name: found.name, scopes: found.scopes };
}

/** The local demo token's scopes: submit for every department and read as every office. */
export const DEMO_TOKEN_SCOPES = [
  'ingest:*',
  'committee',
  'consulting',
  'execution',
  'supervision',
  'auditor',
];

/**
 * For the local launcher: creates a demo token on first start and keeps its plaintext in
 * `<dataDir>/demo-token.txt` (mode 600); later calls return the same token while it is valid.
 */
export function ensureDemoToken(dataDir: string): string {
  const file = join(dataDir, 'demo-token.txt');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token !== '' && verifyToken(dataDir, token) !== undefined) return token;
  }
  const { token } = issueToken(dataDir, { name: '本地演示 (local demo)', scopes: DEMO_TOKEN_SCOPES });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
