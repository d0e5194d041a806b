/** `hub verify`: the live read model against a rebuild to the same position, table by table. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { HubError } from '@hub/domain';
import { currentReadModelPath, readModelDir } from '@hub/read-model';
import { signaturePolicyFrom, verifyReadModel } from '@hub/projector';
import { cliNats } from './cli-nats.js';
import { sequenceBar } from './replay.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('校验读模型与重建结果一致 (verify that the live read model equals a clean rebuild)')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (opts: { json?: boolean }) => {
      const { nc, dataDir } = await cliNats();
      const livePath = currentReadModelPath(dataDir);
      const bar = sequenceBar('校验重建 verify');
      try {
        if (!existsSync(livePath)) {
          throw new HubError('NOT_FOUND', `读模型不存在 (no read model): ${livePath}`);
        }
        const report = await verifyReadModel({
          signatures: signaturePolicyFrom(process.env),
          nc,
          livePath,
          tempDir: readModelDir(dataDir),
          onProgress: opts.json ? undefined : bar.update,
        });
        bar.stop();
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
        } else {
          console.log(`读模型 (read model) ${livePath} @ 序号 seq ${report.position}`);
          for (const t of report.tables) {
            const mark = t.equal ? '一致 equal    ' : '不一致 DIFFERENT';
            console.log(
              `  ${mark}  ${t.table.padEnd(22)} ${t.liveRows} / ${t.rebuiltRows} 行 rows  ${t.live.slice(0, 12)}`,
            );
          }
          console.log(report.equal ? '结果：一致 (result: equal)' : '结果：不一致 (result: DIFFERENT)');
        }
        if (!report.equal) process.exitCode = 1;
      } finally {
        bar.stop();
        await nc.close();
      }
    });
}
