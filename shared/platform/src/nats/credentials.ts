/**
 * NATS credentials as files: the local hub's NKeys (one seed per identity under
 * `<HUB_DATA_DIR>/credentials/`, mode 600, and the nats-server configuration with their public
 * keys), and reading a credentials file the NATS way — a `.creds` file (JWT + seed) or an NKey
 * seed file — for `NATS_CREDS`. Seeds are never logged, printed or put on a command line.
 *
 * @example
 * const local = ensureLocalCredentials('./var');
 * startNatsServer({ …, args: ['-c', local.configPath] });
 * connectNats({ servers, name: 'projector', creds: local.seedFile('projector') });
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { HubError } from '@hub/domain';
import { inboxPrefixOf, natsAuthConfig, natsUsers, type NatsUser } from './auth.js';

export const credentialsDir = (dataDir: string): string => join(dataDir, 'credentials');

export interface LocalCredentials {
  readonly dir: string;
  /** nats-server configuration (authorization block with public keys only). */
  readonly configPath: string;
  /** The seed file of an identity, e.g. `seedFile('projector')`. */
  seedFile(user: string): string;
  /** Public key per identity. */
  readonly publicKeys: Readonly<Record<string, string>>;
}

const SEED_LINE = /^S[A-Z][A-Z2-7]{56}$/m;
const JWT_BLOCK = /-----BEGIN NATS USER JWT-----/;

/** The file header of a seed file: who it is, where its replies come, what it may publish. */
function seedFileText(u: NatsUser, seed: string): string {
  return [
    '# 执法信息共享平台 NATS 凭据 (enforcement hub NATS credentials) — 请保密 keep secret',
    `# user: ${u.user}`,
    `# inbox-prefix: ${inboxPrefixOf(u.user)}`,
    `# may publish: ${u.publish.join(' ')}`,
    seed,
    '',
  ].join('\n');
}

function writeSecret(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * Creates what is missing: a seed per identity (kept across starts, so issued files stay
 * valid) and the server configuration, rewritten every time from the current identities.
 */
export function ensureLocalCredentials(dataDir: string): LocalCredentials {
  const dir = credentialsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const seedFile = (user: string) => join(dir, `${user}.nk`);
  const publicKeys: Record<string, string> = {};
  for (const u of natsUsers()) {
    const file = seedFile(u.user);
    let seed = existsSync(file) ? SEED_LINE.exec(readFileSync(file, 'utf8'))?.[0] : undefined;
    if (seed === undefined) {
      seed = new TextDecoder().decode(nkeys.createUser().getSeed());
      writeSecret(file, seedFileText(u, seed));
    }
    publicKeys[u.user] = nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  }
  const configPath = join(dir, 'nats-auth.conf');
  writeSecret(configPath, natsAuthConfig({ nkeys: publicKeys }));
  return { dir, configPath, seedFile, publicKeys };
}

/** What a credentials file gives a connection. */
export type CredentialsFile =
  | { kind: 'creds'; bytes: Uint8Array; inboxPrefix?: string | undefined }
  | { kind: 'nkey'; seed: Uint8Array; user?: string | undefined; inboxPrefix?: string | undefined };

/** Reads a `.creds` file or an NKey seed file; the error names the file, never its content. */
export function readCredentialsFile(path: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HubError(
      'CONFIG_INVALID',
      `无法读取 NATS 凭据文件 (cannot read the NATS credentials file) ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      { issues: [{ field: 'NATS_CREDS', message: '文件不可读 (file not readable)' }] },
    );
  }
  const header = (key: string) => new RegExp(`^#\\s*${key}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
  const inboxPrefix = header('inbox-prefix');
  if (JWT_BLOCK.test(text)) return { kind: 'creds', bytes: new TextEncoder().encode(text), inboxPrefix };
  const seed = SEED_LINE.exec(text)?.[0];
  if (seed === undefined || !seed.startsWith('SU')) {
    throw new HubError(
      'CONFIG_INVALID',
      `NATS 凭据文件格式不对 (not a .creds file nor an NKey user seed): ${path}`,
      {
        issues: [
          {
            field: 'NATS_CREDS',
            message: '应为 .creds 或 NKey 种子文件 (expected a .creds or NKey seed file)',
          },
        ],
      },
    );
  }
  return { kind: 'nkey', seed: new TextEncoder().encode(seed), user: header('user'), inboxPrefix };
}

/** A URL with its password replaced, for messages: `nats://admin:***@host:4222`. */
export const redactUrl = (servers: string): string =>
  servers.replace(/(\/\/[^:/@,\s]+:)[^@/,\s]*@/g, '$1***@').replace(/(\/\/)[^:/@,\s]+@/g, '$1***@');
