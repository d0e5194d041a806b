#!/usr/bin/env node
/**
 * `hub` — the operator's command line: start the hub locally, import department files,
 * inspect dead letters, rebuild, replay and verify read models, issue tokens.
 */
import { Command } from 'commander';
import { isHubError } from '@hub/domain';
import { registerCommands } from './commands/index.js';

const program = new Command('hub')
  .description('执法信息共享平台 命令行工具 (enforcement information hub CLI)')
  .showHelpAfterError('（使用 --help 查看用法 / use --help for usage）')
  // Every command reads its data folder from HUB_DATA_DIR when it parses its config; the flag,
  // accepted before or after the command, is the same setting.
  .option('--data-dir <dir>', '数据目录 data folder (env HUB_DATA_DIR, default ./var)')
  .hook('preAction', (cmd) => {
    const { dataDir } = cmd.opts<{ dataDir?: string }>();
    if (dataDir !== undefined) process.env.HUB_DATA_DIR = dataDir;
  });
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
