/** `hub rebuild`: a fresh read model beside the live one, switched to when caught up. */
import type { Command } from 'commander';
import { rebuildLive, signaturePolicyFrom } from '@hub/projector';
import { cliNats } from './cli-nats.js';
import { sequenceBar } from './replay.js';

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('不停机重建读模型 (rebuild the read model from sequence 1 without downtime)')
    .action(async () => {
      const { nc, dataDir } = await cliNats();
      const bar = sequenceBar('重建 rebuild');
      try {
        const r = await rebuildLive({
          nc,
          dataDir,
          onProgress: bar.update,
          signatures: signaturePolicyFrom(process.env),
        });
        bar.stop();
        console.log(
          `已重建并切换 (rebuilt and switched): ${r.path}\n` +
            `  序号 seq 1..${r.lastSeq}, ${r.stats.eventsApplied} 个事件 (events), ${r.seconds.toFixed(1)} s\n` +
            `  运行中的投影与查询服务将改用新文件 (the running projector and query API follow CURRENT)\n` +
            `  旧文件保留 (previous file kept): ${r.previous}`,
        );
      } finally {
        bar.stop();
        await nc.close();
      }
    });
}
