#!/usr/bin/env node
/**
 * `hub` — the operator's command line: start the hub locally, import department files,
 * inspect dead letters, rebuild, replay and verify read models, issue tokens.
 */
import { Command } from 'commander';
import { isHubError } from '@hub/shared';
import { registerCommands } from './commands/index.js';

const program = new Command('hub')
  .description('执法信息共享平台 命令行工具 (enforcement information hub CLI)')
  .showHelpAfterError('（使用 --help 查看用法 / use --help for usage）');
registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isHubError(err)) {
    console.error(`错误 [${err.code}]: ${err.message}`);
    for (const issue of err.issues) console.error(`  - ${issue.field}: ${issue.message}`);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
