/** `hub replay --until <time|sequence> --out <file>`: the read model as the hub showed it then. */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { resolve } from 'node:path';
import { parseUntil, replayReadModel, signaturePolicyFrom } from '@hub/projector';
import { cliNats } from './cli-nats.js';

/** A cli-progress bar over stream sequences (also used by rebuild and verify). */
export function sequenceBar(label: string): {
  update: (applied: number, target: number) => void;
  stop: () => void;
} {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {value}/{total} 序号 seq | {percentage}% | 剩余 eta {eta}s`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(applied, target) {
      const total = Math.max(target, applied, 1);
      if (!started) bar.start(total, applied);
      started = true;
      bar.setTotal(total);
      bar.update(applied);
    },
    stop: () => void (started && bar.stop()),
  };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      '审计重放：生成某一时刻的读模型 (audit replay: the read model as of a stream sequence or time)',
    )
    .requiredOption(
      '--until <time|sequence>',
      '流序号，或时间（按 JetStream 存储时间）(a stream sequence, or an RFC 3339 time of the stream timestamps)',
    )
    .requiredOption('--out <file>', '新的 SQLite 文件 (a new SQLite file)')
    .action(async (opts: { until: string; out: string }) => {
      const until = parseUntil(opts.until);
      const { nc } = await cliNats();
      const bar = sequenceBar('重放 replay');
      try {
        const r = await replayReadModel({
          nc,
          path: resolve(opts.out),
          until,
          onProgress: bar.update,
          signatures: signaturePolicyFrom(process.env),
        });
        bar.stop();
        console.log(
          `已生成 (written) ${r.path}: 序号 1..${r.lastSeq}, ${r.stats.eventsApplied} 个事件 (events), ` +
            `${r.stats.deadLetters} 条死信 (dead letters), ${r.seconds.toFixed(1)} s`,
        );
      } finally {
        bar.stop();
        await nc.close();
      }
    });
}
