import type { Command } from 'commander';
import { z } from 'zod';
import {
  commonConfig,
  createLogger,
  ensureDemoToken,
  findNatsServer,
  INSTALL_HINT,
  loadConfig,
  port,
} from '@hub/platform';
import { HubError } from '@hub/domain';
import { DEFAULT_PORTS, startLocalHub, type HubServiceName } from '../launcher/local-hub.js';

/** Parsed once from the environment; flags override. */
const startConfig = {
  HUB_DATA_DIR: z.string().default('./var'),
  NATS_URL: z.string().optional(),
  // The launcher's credentials for a NATS given by URL (it checks or creates the streams).
  NATS_USER: commonConfig.NATS_USER,
  NATS_PASS: commonConfig.NATS_PASS,
  NATS_CREDS: commonConfig.NATS_CREDS,
  NATS_PORT: port(4222),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUERY_API_PORT: port(DEFAULT_PORTS['query-api']),
  MARKET_SUPERVISION_PORT: port(DEFAULT_PORTS['market-supervision']),
  URBAN_CONSTRUCTION_PORT: port(DEFAULT_PORTS['urban-construction']),
  PUBLIC_SAFETY_PORT: port(DEFAULT_PORTS['public-safety']),
  PROJECTOR_PORT: port(DEFAULT_PORTS.projector),
};

const LABELS: Record<HubServiceName, string> = {
  'query-api': '查询服务 query API',
  'market-supervision': '市场监管 market supervision',
  'urban-construction': '城市建设与运行管理 urban construction',
  'public-safety': '公共安全监管 public safety',
  projector: '投影服务 projector (metrics)',
};

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('在本机启动整个平台 (start the whole hub locally: nats-server, streams, every service)')
    .option('--data-dir <dir>', '数据目录 data folder (env HUB_DATA_DIR, default ./var)')
    .option('--nats-url <url>', '使用已有的 NATS (use a running NATS instead of starting one; env NATS_URL)')
    .option(
      '--cluster <nodes>',
      '本机运行 NATS 集群（如 3，流为 R3，各服务用各自的用户）(run a local NATS cluster, e.g. 3: R3 streams, a user per service)',
    )
    .option('--demo', '启动后载入演示数据 (load demo data after start)', false)
    .action(async (flags: { dataDir?: string; natsUrl?: string; cluster?: string; demo: boolean }) => {
      const env = loadConfig(startConfig, process.env);
      const cluster = flags.cluster === undefined ? undefined : Number(flags.cluster);
      if (
        cluster !== undefined &&
        (!Number.isInteger(cluster) || cluster < 3 || cluster > 5 || cluster % 2 === 0)
      ) {
        throw new HubError('VALIDATION_FAILED', '集群节点数应为 3 或 5 (--cluster must be 3 or 5)', {
          issues: [{ field: 'cluster', message: '3 or 5' }],
        });
      }
      const natsUrl = flags.natsUrl ?? env.NATS_URL;
      if (!natsUrl && !findNatsServer()) throw new HubError('NATS_SERVER_MISSING', INSTALL_HINT);
      const logger = createLogger('hub', env.LOG_LEVEL);
      const dataDir = flags.dataDir ?? env.HUB_DATA_DIR;
      console.log(`正在启动 (starting) … 数据目录 data folder: ${dataDir}`);
      const hub = await startLocalHub({
        dataDir,
        host: env.HOST,
        natsUrl,
        natsAuth: { user: env.NATS_USER, pass: env.NATS_PASS, creds: env.NATS_CREDS },
        natsPort: env.NATS_PORT,
        cluster,
        logLevel: env.LOG_LEVEL,
        logger,
        ports: {
          'query-api': env.QUERY_API_PORT,
          'market-supervision': env.MARKET_SUPERVISION_PORT,
          'urban-construction': env.URBAN_CONSTRUCTION_PORT,
          'public-safety': env.PUBLIC_SAFETY_PORT,
          projector: env.PROJECTOR_PORT,
        },
      });
      console.log(`\n执法信息共享平台已启动 (the hub is running)`);
      console.log(`  NATS JetStream${hub.nats ? ` (pid ${hub.nats.pid})` : ''}: ${hub.natsUrl}`);
      if (hub.cluster) {
        for (const n of hub.cluster.nodes) {
          console.log(
            `    ${n.name} ${n.url} (pid ${n.pid()}, 监控 monitoring http://${env.HOST}:${n.monitorPort})`,
          );
        }
        console.log(`    管理员凭据 admin NATS_URL/NATS_USER/NATS_PASS for CLI commands: ${hub.natsEnvFile}`);
      }
      for (const svc of hub.services) {
        const name = svc.name as HubServiceName;
        console.log(`  ${hub.urls[name].padEnd(24)} ${LABELS[name]}  (pid ${svc.pid})`);
      }
      console.log(`  日志 logs: ${hub.dataDir}/logs`);
      const token = ensureDemoToken(hub.dataDir);
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
      for (const svc of hub.services) {
        void svc.exited.then((code) => {
          if (!stopping) {
            console.error(
              `服务意外退出 (service exited): ${svc.name} code ${code} — 见日志 see ${hub.dataDir}/logs/${svc.name}.log`,
            );
          }
        });
      }
    });
}
