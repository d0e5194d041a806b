/**
 * A real full disk for one process: the process runs in its own mount namespace with a small
 * tmpfs over one folder, and a filler file that the test grows until the tmpfs is full
 * (`fill`) and removes (`free`). Needs `unshare` and tmpfs mounts (root, or unprivileged user
 * namespaces); `diskFullSupported()` tells.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function diskFullSupported(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'hub-tmpfs-probe-'));
  try {
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${probe}'`]);
    return r.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export interface SmallDiskProcess {
  readonly child: ChildProcess;
  /** Fills the tmpfs to the last byte. */
  fill(): Promise<void>;
  /** Removes the filler: space returns. */
  free(): Promise<void>;
  /** SIGTERM to the process, then the namespace ends. */
  stop(): Promise<void>;
  output(): string;
}

/** Runs `node script` with a `sizeKb` tmpfs mounted over `folder` (which must exist). */
export function spawnOnSmallDisk(
  script: string,
  folder: string,
  sizeKb: number,
  env: Record<string, string>,
): SmallDiskProcess {
  const sh = [
    `mount -t tmpfs -o size=${sizeKb}k tmpfs "$DISK" || exit 97`,
    `"$NODE" "$SCRIPT" 2>>"$LOG" >>"$LOG" &`,
    'child=$!',
    'while read cmd; do',
    '  case "$cmd" in',
    '    fill) dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null; echo filled ;;',
    '    free) rm -f "$DISK/filler"; echo freed ;;',
    '    stop) kill -TERM $child; wait $child; echo stopped; exit 0 ;;',
    '  esac',
    'done',
  ].join('\n');
  const log = join(mkdtempSync(join(tmpdir(), 'hub-small-disk-log-')), 'out.log');
  const child = spawn('unshare', ['-rm', 'sh', '-c', sh], {
    env: { ...process.env, ...env, DISK: folder, NODE: process.execPath, SCRIPT: script, LOG: log },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const waiters: { word: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    for (const w of [...waiters]) {
      if (out.includes(w.word)) {
        waiters.splice(waiters.indexOf(w), 1);
        out = out.replace(w.word, '');
        w.resolve();
      }
    }
  });
  const command = (cmd: string, word: string) =>
    new Promise<void>((resolve) => {
      waiters.push({ word, resolve });
      child.stdin.write(`${cmd}\n`);
    });
  return {
    child,
    fill: () => command('fill', 'filled'),
    free: () => command('free', 'freed'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await command('stop', 'stopped');
      await exited;
    },
    output: () => {
      try {
        return spawnSync('tail', ['-c', '4000', log]).stdout.toString();
      } catch {
        return '';
      }
    },
  };
}
