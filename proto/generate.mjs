// Generates the JSON descriptor of enforcement/v1 (what the codec loads; the zod schemas are
// checked against it in shared/platform/src/contract.test.ts).
// Runs as part of `npm run build`; gen/ is not committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliDir = dirname(require.resolve('protobufjs-cli/package.json'));
const pbjs = join(cliDir, 'bin', 'pbjs');
const gen = join(here, 'gen');
mkdirSync(gen, { recursive: true });
const protos = readdirSync(join(here, 'enforcement', 'v1'))
  .filter((f) => f.endsWith('.proto'))
  .map((f) => join('enforcement', 'v1', f));

const run = (bin, args) => execFileSync(process.execPath, [bin, ...args], { cwd: here, stdio: 'inherit' });
run(pbjs, ['-t', 'json', '-p', '.', '-o', join(gen, 'descriptor.json'), ...protos]);
