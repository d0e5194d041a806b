/**
 * What each problem+json `type` means, served by every hub HTTP service at `/problems/<code>`
 * (the `type` of a problem is that relative URI, so it resolves against the service that
 * answered). One entry per error code; a test keeps them complete.
 */
import type { FastifyInstance } from 'fastify';
import type { ErrorCode } from '@hub/domain';
import { problemTypeUri, statusOf, titleOf } from './problem.js';

export interface ProblemExplanation {
  readonly zh: string;
  readonly en: string;
}

export const PROBLEM_EXPLANATIONS: Readonly<Record<ErrorCode, ProblemExplanation>> = {
  CONFIG_INVALID: {
    zh: '服务配置无效：某个环境变量的值不合法。错误信息指出变量名与原因。',
    en: 'The service configuration is invalid: an environment variable has a value that is not allowed. The message names the variable and the reason.',
  },
  VALIDATION_FAILED: {
    zh: '请求格式错误：参数、请求体或文件中的字段不符合约定。errors 数组逐项列出字段与原因；请求未产生任何变化。',
    en: 'The request is malformed: a parameter, body field or file column breaks the contract. The errors array names each field and the reason; nothing was changed.',
  },
  RULE_VIOLATED: {
    zh: '不符合业务规则：格式正确，但违反执法规则（例如检查人员不足两名、执法证已过期、事项不属于该部门）。errors 列出规则与字段。',
    en: 'A business rule is broken: the record is well-formed but violates an enforcement rule (fewer than two certified officers, an expired certificate, a matter outside the agency). errors names the rule and the field.',
  },
  NOT_FOUND: {
    zh: '未找到：没有这个接口，或没有这个企业、告警、死信等记录（或在 asOf 时刻尚无记录）。',
    en: 'Not found: no such endpoint, or no such business, alert or dead letter (or none recorded yet at the asOf moment).',
  },
  CONFLICT: {
    zh: '冲突：请求与已有状态冲突，例如同一记录的同一版本内容不同，或另一个进程正在写同一个读模型。',
    en: 'Conflict with the current state, e.g. the same record revision with different content, or another process writing the same read model.',
  },
  UNAUTHORIZED: {
    zh: '未认证：缺少令牌、令牌无效或已吊销。用 `hub token issue` 签发令牌，放在 Authorization: Bearer 头中。',
    en: 'Unauthorized: no token, an invalid one, or a revoked one. Issue one with `hub token issue` and send it as Authorization: Bearer.',
  },
  FORBIDDEN: {
    zh: '无权访问：令牌有效，但其角色或部门无权读取或报送此内容（见 docs/roles.md 的角色矩阵）。',
    en: 'Forbidden: the token is valid, but its roles or agency may not read or submit this (see the role matrix in docs/roles.md).',
  },
  PAYLOAD_TOO_LARGE: {
    zh: '请求体过大：超过服务允许的字节数或批量条数。请分批提交。',
    en: 'Payload too large: more bytes or more events than the service takes at once. Send it in smaller batches.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    zh: '不支持的内容类型：JSON 接口要求 application/json，导入接口要求 text/csv。',
    en: 'Unsupported media type: JSON endpoints take application/json, imports take text/csv.',
  },
  NATS_UNAVAILABLE: {
    zh: '消息服务 NATS 不可达。部门服务仍将记录存入发件箱，NATS 恢复后自动补发；命令行工具请检查平台是否已启动、NATS_URL 或 NATS_PORT 是否正确。',
    en: 'NATS cannot be reached. Agency services keep accepting into their outbox and relay when it returns; for a command, check that the hub is running and NATS_URL or NATS_PORT.',
  },
  NATS_SERVER_MISSING: {
    zh: '本机未安装 nats-server（Debian/Ubuntu: apt-get install nats-server），或设置 NATS_URL 使用已有的 NATS。',
    en: 'nats-server is not installed on this machine (Debian/Ubuntu: apt-get install nats-server), or set NATS_URL to use a running NATS.',
  },
  READ_MODEL_LOCKED: {
    zh: '读模型正被另一个进程写入（每个读模型只有一个写入者）。稍后重试，或先停止正在运行的投影服务。',
    en: 'The read model is being written by another process (one writer per read model). Retry later, or stop the running projector first.',
  },
  STORAGE_FULL: {
    zh: '服务的磁盘已满，新的记录暂不接收；已接收的记录都已保存。释放空间后服务自动恢复，请稍后重新提交。',
    en: 'The service’s disk is full: new records are not taken for now; every record already accepted is kept. The service resumes by itself once space is freed; submit again later.',
  },
  READ_MODEL_UNAVAILABLE: {
    zh: '读模型尚不存在或不可读：投影服务是否在运行？首次启动时，投影服务建好读模型之前查询接口返回 503。',
    en: 'The read model does not exist yet or cannot be read: is the projector running? On a first start the query API answers 503 until the projector has built it.',
  },
  SERVICE_UNAVAILABLE: {
    zh: '无法连接平台的某个服务（例如部门服务）。请检查平台是否已启动、端口变量（如 MARKET_SUPERVISION_PORT）是否与启动时一致。',
    en: 'A hub service (e.g. an agency service) cannot be reached. Check that the hub is running and that the port variables (e.g. MARKET_SUPERVISION_PORT) match the ones it was started with.',
  },
  INTERNAL: {
    zh: '内部错误：服务出现意外故障，详情见该服务的日志。请求可以重试：已接受的记录不会丢失或重复。',
    en: 'Internal error: something unexpected failed; the service log has the details. The request may be retried: nothing accepted is lost or doubled.',
  },
};

const codeOfSlug = (slug: string): ErrorCode | undefined => {
  const code = slug.toUpperCase().replace(/-/g, '_');
  return Object.hasOwn(PROBLEM_EXPLANATIONS, code) ? (code as ErrorCode) : undefined;
};

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET /problems (all codes) and /problems/:code — JSON for `accept: application/json`, else HTML. */
export function registerProblemTypes(app: FastifyInstance): void {
  const entry = (code: ErrorCode) => ({
    type: problemTypeUri(code),
    code,
    status: statusOf(code),
    title: titleOf(code),
    ...PROBLEM_EXPLANATIONS[code],
  });
  const page = (entries: ReturnType<typeof entry>[]) =>
    `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>错误类型 Problem types</title></head><body>` +
    entries
      .map(
        (e) =>
          `<section id="${escape(e.code)}"><h2>${escape(e.title)} <code>${escape(e.code)}</code> (HTTP ${e.status})</h2>` +
          `<p>${escape(e.zh)}</p><p lang="en">${escape(e.en)}</p></section>`,
      )
      .join('') +
    `</body></html>`;
  const wantsJson = (accept: string | undefined) => accept?.includes('json') ?? false;
  app.get('/problems', async (req, reply) => {
    const all = (Object.keys(PROBLEM_EXPLANATIONS) as ErrorCode[]).map(entry);
    return wantsJson(req.headers.accept) ? all : reply.type('text/html; charset=utf-8').send(page(all));
  });
  app.get<{ Params: { code: string } }>('/problems/:code', async (req, reply) => {
    const code = codeOfSlug(req.params.code);
    if (code === undefined) return reply.callNotFound();
    return wantsJson(req.headers.accept)
      ? entry(code)
      : reply.type('text/html; charset=utf-8').send(page([entry(code)]));
  });
}
