// First step of `npm start` on a fresh clone: install dependencies when missing and say
// clearly what else is needed. Plain ESM: it runs before anything is installed or built.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`需要 Node.js 20.19 或更高版本 (Node.js >= 20.19 required), found ${process.versions.node}`);
  process.exit(1);
}

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('首次运行：安装依赖 (first run: installing dependencies with npm ci) …');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

const hasNats =
  process.env.NATS_URL ||
  (process.env.PATH ?? '')
    .split(delimiter)
    .concat(['/usr/sbin', '/usr/local/bin', '/opt/homebrew/bin'])
    .some((dir) => dir && existsSync(join(dir, 'nats-server')));
if (!hasNats) {
  console.error(
    [
      '未找到 nats-server (nats-server is not installed). 请安装 / install it:',
      '  Debian/Ubuntu: sudo apt-get install -y nats-server',
      '  macOS:         brew install nats-server',
      '或设置 NATS_URL 使用已有的 NATS 服务 (or set NATS_URL to use a running NATS server).',
    ].join('\n'),
  );
  process.exit(1);
}
