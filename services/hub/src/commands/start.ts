import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { HubError } from '@hub/domain';
import {
  createLogger,
  ensureDemoToken,
  ensureDemoTokenPostgres,
  findNatsServer,
  INSTALL_HINT,
  openPostgresTokens,
} from '@hub/platform';
import { ENVIRONMENT_HELP, loadHubConfig, type HubServiceName } from '../config.js';
import type { ServiceEvent } from '../launcher/child-service.js';
import { startLocalHub } from '../launcher/local-hub.js';

const LABELS: Record<HubServiceName, string> = {
  'query-api': '查询服务 query API',
  'market-supervision': '市场监管 market supervision',
  'urban-construction': '城市建设与运行管理 urban construction',
  'public-safety': '公共安全监管 public safety',
  projector: '投影服务 projector (metrics)',
};

const describeEvent = (e: ServiceEvent): string => {
  switch (e.kind) {
    case 'restarting':
      return `服务退出 (service exited): ${e.service} ${e.exit} — ${(e.delayMs / 1000).toFixed(0)} 秒后重启 (restarting in ${(e.delayMs / 1000).toFixed(0)} s)`;
    case 'restarted':
      return `已重启 (restarted): ${e.service} (pid ${e.pid})`;
    case 'gave-up':
      return `服务连续 ${e.fastFailures} 次启动后很快退出，不再重启 (service failed ${e.fastFailures} times in a row soon after starting; not restarting): ${e.service} ${e.exit}`;
  }
};

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('在本机启动整个平台 (start the whole hub locally: nats-server, streams, every service)')
    .option('--nats-url <url>', '使用已有的 NATS (use a running NATS instead of starting one; env NATS_URL)')
    .option(
      '--cluster <nodes>',
      '本机运行 NATS 集群（如 3，流为 R3，各服务用各自的用户）(run a local NATS cluster, e.g. 3: R3 streams, a user per service)',
    )
    .option('--demo', '启动后载入演示数据 (load demo data after start)')
    .addHelpText('after', ENVIRONMENT_HELP)
    .action(async (flags: { natsUrl?: string; cluster?: string; demo?: boolean }) => {
      const config = loadHubConfig(process.env);
      const cluster = flags.cluster === undefined ? undefined : Number(flags.cluster);
      if (
        cluster !== undefined &&
        (!Number.isInteger(cluster) || cluster < 3 || cluster > 5 || cluster % 2 === 0)
      ) {
        throw new HubError('VALIDATION_FAILED', '集群节点数应为 3 或 5 (--cluster must be 3 or 5)', {
          issues: [{ field: 'cluster', message: '3 or 5' }],
        });
      }
      const natsUrl = flags.natsUrl ?? config.natsUrlGiven;
      if (!natsUrl && !findNatsServer()) throw new HubError('NATS_SERVER_MISSING', INSTALL_HINT);
      const logger = createLogger('hub', config.logLevel);
      console.log(`正在启动 (starting) … 数据目录 data folder: ${config.dataDir}`);
      const hub = await startLocalHub({
        dataDir: config.dataDir,
        host: config.host,
        natsUrl,
        natsAuth: { user: config.natsUser, pass: config.natsPass, creds: config.natsCreds },
        natsPort: config.natsPort,
        cluster,
        logLevel: config.logLevel,
        logger,
        ports: config.ports,
        onServiceEvent: (e) => {
          const log = e.kind === 'restarted' ? console.log : console.error;
          log(`${describeEvent(e)} — 日志 log: ${join(resolve(config.dataDir), 'logs', `${e.service}.log`)}`);
        },
      });
      console.log(`\n执法信息共享平台已启动 (the hub is running)`);
      console.log(`  NATS JetStream${hub.nats ? ` (pid ${hub.nats.pid})` : ''}: ${hub.natsUrl}`);
      if (hub.cluster) {
        for (const n of hub.cluster.nodes) {
          console.log(
            `    ${n.name} ${n.url} (pid ${n.pid()}, 监控 monitoring http://${config.host}:${n.monitorPort})`,
          );
        }
        console.log(`    管理员凭据 admin NATS_URL/NATS_USER/NATS_PASS for CLI commands: ${hub.natsEnvFile}`);
      }
      for (const svc of hub.services) {
        const name = svc.name as HubServiceName;
        console.log(`  ${hub.urls[name].padEnd(24)} ${LABELS[name]}  (pid ${svc.pid})`);
      }
      console.log(`  接口文档 API docs: ${hub.urls['query-api']}/docs`);
      console.log(`  日志 logs: ${hub.dataDir}/logs`);
      const token = await demoToken(hub.dataDir, config.readModelUrl);
      console.log(`  演示令牌 demo token (all agencies, all offices): ${hub.dataDir}/demo-token.txt`);
      if (flags.demo) {
        const { loadDemoData } = await import('../launcher/demo-data.js');
        const { accepted } = await loadDemoData(hub, token);
        console.log(`  演示数据 demo data: ${accepted} 条事件已提交 (events accepted)`);
      }
      console.log('\n按 Ctrl-C 停止 (press Ctrl-C to stop)');

      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n收到 ${signal}，正在停止 (stopping) …`);
        await hub.stop();
        console.log('已停止 (stopped)');
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}

/** The demo token, in the token store the services read (PostgreSQL's with READ_MODEL_URL). */
async function demoToken(dataDir: string, readModelUrl: string | undefined): Promise<string> {
  if (!readModelUrl) return ensureDemoToken(dataDir);
  const tokens = await openPostgresTokens(readModelUrl);
  try {
    return await ensureDemoTokenPostgres(dataDir, tokens);
  } finally {
    await tokens.close();
  }
}
