/**
 * The token store in PostgreSQL (with `READ_MODEL_URL`): the same hashed records as
 * `tokens.json`, in table `hub_tokens` of the read model's database, so every query API and
 * agency service over that database, on any host, sees one set of tokens. `hub token` issues,
 * lists and revokes there.
 *
 * Verifying stays synchronous and off the network: each process keeps the active tokens in
 * memory, loaded at open, reloaded when `hub token` announces a change (LISTEN/NOTIFY on
 * `hub_tokens`) and every `refreshMs` in case a notice was missed (a dropped connection). Last
 * use is noted in memory and written at most every 30 s and at close.
 *
 * @example
 * const tokens = await openPostgresTokens(url);
 * const { token } = await tokens.issue({ name: '执委会办公室', scopes: ['committee'] });
 * const store = await tokens.openVerifier({ recordUseAs: 'query-api' });
 * store.verify(token); // { id, name, scopes: ['committee'] }
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  DEMO_TOKEN_SCOPES,
  hashToken,
  newToken,
  type IssueTokenOptions,
  type TokenPrincipal,
  type TokenRecord,
  type TokenStore,
  type TokenStoreOptions,
} from './token-store.js';

/** Held while migrating (the read model's own migration lock is 72_610_001). */
const TOKENS_MIGRATION_LOCK = 72_610_003;
const CHANNEL = 'hub_tokens';

const DDL = `CREATE TABLE IF NOT EXISTS hub_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  expires_at TEXT,
  last_used_at TEXT)`;

interface TokenRow {
  id: string;
  name: string;
  sha256: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
}

const recordOf = (r: TokenRow): TokenRecord & { lastUsedAt?: string | undefined } => ({
  id: r.id,
  name: r.name,
  sha256: r.sha256,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
  ...(r.expires_at ? { expiresAt: r.expires_at } : {}),
  ...(r.last_used_at ? { lastUsedAt: r.last_used_at } : {}),
});

export interface PostgresVerifier extends TokenStore {
  /** Writes the last uses noted, stops listening. */
  close(): Promise<void>;
}

export interface PostgresTokens {
  issue(opts: IssueTokenOptions): Promise<{ token: string; record: TokenRecord }>;
  /** False when there is no such active token. */
  revoke(id: string, now?: Date): Promise<boolean>;
  /** Every record (hashes only), revoked and expired ones included, with its last use. */
  list(): Promise<(TokenRecord & { lastUsedAt?: string | undefined })[]>;
  /** One-shot check (no cache): the principal of an active, unexpired token. */
  find(token: string, now?: Date): Promise<TokenPrincipal | undefined>;
  openVerifier(opts?: TokenStoreOptions & { refreshMs?: number }): Promise<PostgresVerifier>;
  close(): Promise<void>;
}

/** Creates `hub_tokens` when missing: idempotent, in one transaction under an advisory lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [TOKENS_MIGRATION_LOCK]);
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function openPostgresTokens(url: string): Promise<PostgresTokens> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const verifiers = new Set<PostgresVerifier>();

  return {
    async issue(opts) {
      const issued = newToken(opts);
      const r = issued.record;
      await pool.query(
        `WITH t AS (INSERT INTO hub_tokens (id, name, sha256, scopes, created_at, expires_at)
                    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
         SELECT pg_notify('${CHANNEL}', id) FROM t`,
        [r.id, r.name, r.sha256, JSON.stringify(r.scopes), r.createdAt, r.expiresAt ?? null],
      );
      return issued;
    },
    async revoke(id, now = new Date()) {
      const r = await pool.query(
        `WITH t AS (UPDATE hub_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id)
         SELECT pg_notify('${CHANNEL}', id) FROM t`,
        [id, now.toISOString()],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async list() {
      const r = await pool.query<TokenRow>('SELECT * FROM hub_tokens ORDER BY created_at, id');
      return r.rows.map(recordOf);
    },
    async find(token, now = new Date()) {
      const r = await pool.query<TokenRow>(
        `SELECT * FROM hub_tokens WHERE sha256 = $1 AND revoked_at IS NULL
            AND (expires_at IS NULL OR expires_at > $2)`,
        [hashToken(token), now.toISOString()],
      );
      const row = r.rows[0];
      return row && { id: row.id, name: row.name, scopes: JSON.parse(row.scopes) as string[] };
    },
    async openVerifier(opts = {}) {
      const v = await openVerifier(pool, url, opts);
      verifiers.add(v);
      return {
        verify: (token) => v.verify(token),
        close: async () => {
          verifiers.delete(v);
          await v.close();
        },
      };
    },
    async close() {
      await Promise.all([...verifiers].map((v) => v.close()));
      await pool.end();
    },
  };
}

async function openVerifier(
  pool: pg.Pool,
  url: string,
  opts: TokenStoreOptions & { refreshMs?: number },
): Promise<PostgresVerifier> {
  const clock = opts.now ?? Date.now;
  let byHash = new Map<string, { principal: TokenPrincipal; expiresAt: number }>();
  let closed = false;
  const load = async () => {
    const r = await pool.query<TokenRow>('SELECT * FROM hub_tokens WHERE revoked_at IS NULL');
    byHash = new Map(
      r.rows.map((t) => [
        t.sha256,
        {
          principal: { id: t.id, name: t.name, scopes: JSON.parse(t.scopes) as string[] },
          expiresAt: t.expires_at ? Date.parse(t.expires_at) : Number.POSITIVE_INFINITY,
        },
      ]),
    );
  };
  await load();
  // A reload failing (PostgreSQL away) keeps the tokens known: verification never needs the network.
  const reload = () => void load().catch(() => undefined);

  let listener: pg.Client | undefined;
  const listen = async () => {
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (listener === client) listener = undefined;
    });
    client.on('notification', reload);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      reload(); // a change made while not listening
    } catch {
      await client.end().catch(() => undefined);
    }
  };
  await listen();
  const timer = setInterval(() => {
    reload();
    if (!listener && !closed) void listen();
  }, opts.refreshMs ?? 1000);
  timer.unref();

  const used = new Map<string, number>();
  const flushUse = async () => {
    if (used.size === 0) return;
    const batch = [...used];
    used.clear();
    for (const [id, at] of batch) {
      const iso = new Date(at).toISOString();
      await pool
        .query(
          'UPDATE hub_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)',
          [id, iso],
        )
        // Last use is information, not a control: it never fails a request.
        .catch(() => undefined);
    }
  };
  const useTimer = opts.recordUseAs ? setInterval(() => void flushUse(), 30_000) : undefined;
  useTimer?.unref();

  return {
    verify(token) {
      const found = byHash.get(hashToken(token));
      if (found === undefined) return undefined;
      const at = clock();
      if (at >= found.expiresAt) return undefined;
      if (opts.recordUseAs && (used.get(found.principal.id) ?? 0) < at) used.set(found.principal.id, at);
      return found.principal;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (useTimer) clearInterval(useTimer);
      const l = listener;
      listener = undefined;
      await l?.end().catch(() => undefined);
      await flushUse();
    },
  };
}

/**
 * `ensureDemoToken` over PostgreSQL: the local launcher's demo token, its plaintext kept in
 * `<dataDir>/demo-token.txt` (mode 600), its record in `hub_tokens`.
 */
export async function ensureDemoTokenPostgres(dataDir: string, tokens: PostgresTokens): Promise<string> {
  const file = join(dataDir, 'demo-token.txt');
  const known = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (known !== '' && (await tokens.find(known)) !== undefined) return known;
  const { token } = await tokens.issue({ name: '本地演示 (local demo)', scopes: DEMO_TOKEN_SCOPES });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
