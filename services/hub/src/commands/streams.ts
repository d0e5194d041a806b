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
}
const applyOptions = (_flags: ApplyFlags): ApplyStreamsOptions => ({});

export function registerStreams(program: Command): void {
  const streams = program.command('streams').description('JetStream 流管理 (manage the hub streams)');
  streams
    .command('apply')
    .description(
      '创建或更新流，需管理员身份 (create or update the streams; needs the admin identity: NATS_CREDS or NATS_USER/NATS_PASS)',
    )
    .option('--json', '输出 JSON (print JSON)')
    .action(async (flags: ApplyFlags) => {
      const { nc } = await cliNats({ streams: false });
      try {
        const { changes } = await applyStreams(nc, applyOptions(flags)).catch((err: unknown) => {
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
