/**
 * RFC 9457 problem+json bodies: a stable code, a message in Chinese and English, and the
 * fields at fault.
 */
import type { FieldIssue, ErrorCode, HubError } from '@hub/domain';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: readonly FieldIssue[];
  [extra: string]: unknown;
}

const STATUS: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  VALIDATION_FAILED: 400,
  RULE_VIOLATED: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NATS_UNAVAILABLE: 503,
  NATS_SERVER_MISSING: 503,
  READ_MODEL_LOCKED: 503,
  READ_MODEL_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  STORAGE_FULL: 507,
  INTERNAL: 500,
};

const TITLES: Record<ErrorCode, string> = {
  CONFIG_INVALID: '配置无效 Invalid configuration',
  VALIDATION_FAILED: '请求格式错误 Invalid request',
  RULE_VIOLATED: '不符合业务规则 Rule violated',
  NOT_FOUND: '未找到 Not found',
  CONFLICT: '冲突 Conflict',
  UNAUTHORIZED: '未认证 Unauthorized',
  FORBIDDEN: '无权访问 Forbidden',
  PAYLOAD_TOO_LARGE: '请求体过大 Payload too large',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型 Unsupported media type',
  NATS_UNAVAILABLE: '消息服务不可用 NATS unavailable',
  NATS_SERVER_MISSING: '未安装 nats-server',
  READ_MODEL_LOCKED: '读模型被占用 Read model in use',
  READ_MODEL_UNAVAILABLE: '读模型不可用 Read model unavailable',
  SERVICE_UNAVAILABLE: '服务不可达 Service unreachable',
  STORAGE_FULL: '存储空间已满 Insufficient storage',
  INTERNAL: '内部错误 Internal error',
};

export const statusOf = (code: ErrorCode): number => STATUS[code];
export const titleOf = (code: ErrorCode): string => TITLES[code];

/**
 * `VALIDATION_FAILED` → `/problems/validation-failed`: a relative URI, so it resolves against
 * the service that answered, which serves the explanation there (problem-types.ts).
 */
export const problemTypeUri = (code: ErrorCode): string =>
  `/problems/${code.toLowerCase().replace(/_/g, '-')}`;

export function problem(
  code: ErrorCode,
  detail: string,
  errors?: readonly FieldIssue[],
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: problemTypeUri(code),
    title: TITLES[code],
    status: STATUS[code],
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extra,
  };
}

export const problemFromError = (err: HubError): Problem => problem(err.code, err.message, err.issues);
