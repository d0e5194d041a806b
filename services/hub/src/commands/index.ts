import type { Command } from 'commander';
import { registerStart } from './start.js';
import { registerDlq } from './dlq.js';
import { registerRebuild } from './rebuild.js';
import { registerReplay } from './replay.js';
import { registerVerify } from './verify.js';
import { registerImport } from './import.js';
import { registerToken } from './token.js';
import { registerStreams } from './streams.js';
import { registerCredentials } from './credentials.js';
import { registerKeys } from './keys.js';
import { registerEvidence } from './evidence.js';
import { registerReconcile } from './reconcile.js';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerDlq(program);
  registerRebuild(program);
  registerReplay(program);
  registerVerify(program);
  registerImport(program);
  registerToken(program);
  registerStreams(program);
  registerCredentials(program);
  registerKeys(program);
  registerEvidence(program);
  registerReconcile(program);
}
