#!/usr/bin/env node
/**
 * `hub` — the operator's command line: start the hub locally, import department files,
 * inspect dead letters, rebuild, replay and verify read models, issue tokens.
 */
import { Command } from 'commander';
import { isHubError } from '@hub/domain';
import { registerCommands } from './commands/index.js';
import { bilingualHelp, describeError } from './help.js';

const program = new Command('hub')
  .description('执法信息共享平台 命令行工具 (enforcement information hub CLI)')
  .helpOption('-h, --help', '显示帮助 (display help)')
  .helpCommand('help [command]', '显示某个命令的帮助 (display help for a command)')
  .configureHelp(bilingualHelp)
  .showHelpAfterError('（使用 --help 查看用法 / use --help for usage）')
  // The one place --data-dir is declared: accepted before or after any command, it sets
  // HUB_DATA_DIR, which every command's configuration reads.
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
    console.error(describeError(err));
  }
  process.exitCode = 1;
});
