/**
 * Typed errors with stable codes. Expected outcomes (a rejected record, a duplicate) are
 * returned as values; these are for what callers cannot carry on from.
 */
import type { FieldIssue } from './events.js';

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'VALIDATION_FAILED'
  | 'RULE_VIOLATED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NATS_UNAVAILABLE'
  | 'NATS_SERVER_MISSING'
  | 'READ_MODEL_LOCKED'
  /** No read model to read yet (the projector has not built one). */
  | 'READ_MODEL_UNAVAILABLE'
  /** Another hub service (e.g. an agency service, for `hub import`) cannot be reached. */
  | 'SERVICE_UNAVAILABLE'
  | 'STORAGE_FULL'
  | 'INTERNAL';

export class HubError extends Error {
  override readonly name: string = 'HubError';
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    opts: { cause?: unknown; issues?: readonly FieldIssue[] } = {},
  ) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.issues = opts.issues ?? [];
  }
}

export const isHubError = (err: unknown, code?: ErrorCode): err is HubError =>
  err instanceof HubError && (code === undefined || err.code === code);

export const configError = (message: string, issues: readonly FieldIssue[] = []): HubError =>
  new HubError('CONFIG_INVALID', message, { issues });
