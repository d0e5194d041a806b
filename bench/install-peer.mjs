// The bench's own install step, run by `npm run bench`: the peer (Emmett-SQLite and node-sqlite3,
// which compiles from source) goes into bench/node_modules from bench/package-lock.json, once,
// and again only when that lock changes. The root `npm ci` does not install it. When the install
// fails (offline, no compiler), the bench runs without the peer and says so.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const lock = join(bench, 'package-lock.json');
const stamp = join(bench, 'node_modules', '.hub-peer-installed');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) process.exit(0);

process.stdout.write(
  '安装对照组 installing the bench peer (Emmett-SQLite, node-sqlite3 built from source) into bench/node_modules …\n',
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
if (r.status === 0) {
  writeFileSync(stamp, `${want}\n`);
} else {
  process.stderr.write(
    '对照组安装失败，peer-emmett 场景将跳过 (the peer could not be installed; the peer-emmett scenario will be skipped)\n',
  );
}
