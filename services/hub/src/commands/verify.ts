/**
 * `hub verify`: the live read model against a rebuild to the same position, table by table;
 * `hub verify --chain`: the hash chain recomputed from the stream's bytes, link by link.
 */
import type { Command } from 'commander';
import { readModelDir } from '@hub/read-model';
import { signaturePolicyFrom, verifyChain, verifyReadModel, type ChainReport } from '@hub/projector';
import { cliNats } from './cli-nats.js';
import { sequenceBar } from './replay.js';
import { withLiveReadModelFile } from './live-read-model.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('校验读模型与重建结果一致 (verify that the live read model equals a clean rebuild)')
    .option('--chain', '按流中字节重算哈希链 (recompute the hash chain from the stream and compare)')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (opts: { json?: boolean; chain?: boolean }) => {
      const { nc, dataDir } = await cliNats();
      const bar = sequenceBar(opts.chain ? '校验哈希链 chain' : '校验重建 verify');
      try {
        // With READ_MODEL_URL: PostgreSQL's read model, through a consistent snapshot.
        await withLiveReadModelFile(dataDir, async (livePath, label) => {
          if (opts.chain) {
            const report = await verifyChain({
              nc,
              livePath,
              onProgress: opts.json ? undefined : bar.update,
            });
            bar.stop();
            if (opts.json) console.log(JSON.stringify(report, null, 2));
            else printChain(label, report);
            if (!report.ok) process.exitCode = 1;
            return;
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
            console.log(`读模型 (read model) ${label} @ 序号 seq ${report.position}`);
            for (const t of report.tables) {
              const mark = t.equal ? '一致 equal    ' : '不一致 DIFFERENT';
              console.log(
                `  ${mark}  ${t.table.padEnd(22)} ${t.liveRows} / ${t.rebuiltRows} 行 rows  ${t.live.slice(0, 12)}`,
              );
            }
            console.log(report.equal ? '结果：一致 (result: equal)' : '结果：不一致 (result: DIFFERENT)');
          }
          if (!report.equal) process.exitCode = 1;
        });
      } finally {
        bar.stop();
        await nc.close();
      }
    });
}

function printChain(livePath: string, r: ChainReport): void {
  console.log(`读模型 (read model) ${livePath} @ 序号 seq ${r.position}`);
  console.log(
    `  重算链接 links recomputed from the stream: ${r.checked}; 核对时间线行 timeline rows checked: ${r.timelineRows}`,
  );
  if (r.head) console.log(`  链头 chain head: seq ${r.head.seq} ${r.head.hash}`);
  for (const d of r.differences.slice(0, 20))
    console.log(`  不一致 DIFFERENT  seq ${d.seq}  ${d.what}: ${d.detail}`);
  if (r.differences.length > 20) console.log(`  … 另有 ${r.differences.length - 20} 处 (and more)`);
  console.log(
    r.firstDifference
      ? `结果：不一致，首个不同的链接在序号 ${r.firstDifference.seq} (result: DIFFERENT, first differing link at seq ${r.firstDifference.seq})`
      : '结果：哈希链与流一致 (result: the chain matches the stream)',
  );
}
