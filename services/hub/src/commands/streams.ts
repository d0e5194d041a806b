/**
 * `hub streams apply`: the operator's command that creates the hub's streams or brings them to
 * the definitions (services only check them: their identities may not manage streams).
 */
import type { Command } from 'commander';
import { HubError } from '@hub/domain';
import { applyStreams, isPermissionError, type ApplyStreamsOptions } from '@hub/platform';
import { cliNats } from './cli-nats.js';

const ACTIONS = { created: '已创建 created', updated: '已更新 updated', unchanged: '无变化 unchanged' };

/** The command's flags, turned into applyStreams options: one place to add a setting. */
interface ApplyFlags {
  json?: boolean;
  replicas?: string;
}
const applyOptions = (flags: ApplyFlags): ApplyStreamsOptions => {
  if (flags.replicas === undefined) return {};
  const replicas = Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new HubError(
      'VALIDATION_FAILED',
      '副本数应为 1 到 5 的整数 (--replicas must be an integer from 1 to 5)',
      {
        issues: [{ field: 'replicas', message: 'integer 1–5' }],
      },
    );
  }
  return { replicas, scaleReplicas: true };
};

export function registerStreams(program: Command): void {
  const streams = program.command('streams').description('JetStream 流管理 (manage the hub streams)');
  streams
    .command('apply')
    .description(
      '创建或更新流，需管理员身份 (create or update the streams; needs the admin identity: NATS_CREDS or NATS_USER/NATS_PASS)',
    )
    .option(
      '--replicas <n>',
      '副本数：单节点 1，三节点集群 3（含现有流）；不给则保持现有副本数 (replicas, existing streams included: 1 on one node, 3 on a 3-node cluster; default: keep)',
    )
    .option('--json', '输出 JSON (print JSON)')
    .action(async (flags: ApplyFlags) => {
      const options = applyOptions(flags);
      const { nc } = await cliNats({ streams: false });
      try {
        const { changes } = await applyStreams(nc, options).catch((err: unknown) => {
          if (!isPermissionError(err)) throw err;
          throw new HubError(
            'FORBIDDEN',
            '此 NATS 身份无权管理流 (this NATS identity may not manage streams): 请使用管理员身份 (use the admin identity)',
            { issues: [{ field: 'NATS_CREDS', message: '需要 admin 身份 (admin identity required)' }] },
          );
        });
        if (flags.json) return console.log(JSON.stringify(changes, null, 2));
        for (const c of changes) {
          const detail = c.changed ? ` (${c.changed.join(', ')})` : '';
          console.log(`${c.name.padEnd(12)} ${ACTIONS[c.action]}${detail}`);
        }
      } finally {
        await nc.close();
      }
    });
}
