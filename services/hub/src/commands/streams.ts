/**
 * `hub streams apply [--replicas 3]`: creates the hub's streams or updates them to the current
 * definitions, with the replica count a cluster needs. Run once with admin credentials
 * (NATS_USER=admin NATS_PASS=…); services never need stream-admin rights.
 */
import type { Command } from 'commander';
import { HubError } from '@hub/domain';
import { applyStreams, commonConfig, connectNats, loadConfig } from '@hub/platform';

export function registerStreams(program: Command): void {
  const streams = program.command('streams').description('JetStream 流管理 (stream administration)');
  streams
    .command('apply')
    .description('创建或更新事件流（需要管理员凭据）(create or update the streams; needs admin credentials)')
    .option(
      '--replicas <n>',
      '副本数：单节点 1，三节点集群 3；不给则保持现有副本数 (replicas: 1 on one node, 3 on a 3-node cluster; default: keep)',
    )
    .action(async (opts: { replicas?: string }) => {
      const replicas = opts.replicas === undefined ? undefined : Number(opts.replicas);
      if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)) {
        throw new HubError(
          'VALIDATION_FAILED',
          '副本数应为 1 到 5 的整数 (--replicas must be an integer from 1 to 5)',
          {
            issues: [{ field: 'replicas', message: 'integer 1–5' }],
          },
        );
      }
      const config = loadConfig(commonConfig, process.env);
      const nc = await connectNats({
        servers: config.NATS_URL,
        user: config.NATS_USER,
        pass: config.NATS_PASS,
        name: 'hub-streams-apply',
        waitOnFirstConnect: false,
      });
      try {
        const applied = await applyStreams(nc, replicas === undefined ? {} : { replicas }).catch(
          (err: unknown) => {
            const message = (err as Error).message;
            const denied = /permission|authori[sz]ation/i.test(message);
            throw new HubError(
              denied ? 'FORBIDDEN' : 'INTERNAL',
              denied
                ? `无权创建或更新流，请用管理员凭据 (not allowed to manage streams; use the admin user: NATS_USER/NATS_PASS): ${message}`
                : `无法创建或更新流 (cannot create or update the streams): ${message}`,
              { cause: err },
            );
          },
        );
        for (const s of applied) {
          const was =
            s.replicasBefore === undefined
              ? '新建 created'
              : `更新 updated (R${s.replicasBefore} → R${s.replicas})`;
          console.log(`${s.name.padEnd(12)} R${s.replicas}  ${was}`);
        }
      } finally {
        await nc.close();
      }
    });
}
