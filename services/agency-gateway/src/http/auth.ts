/** Bearer-token check for ingest routes: 401 without a valid token, 403 outside its agencies. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError, mayIngestFor } from '@hub/domain';
import { type TokenPrincipal } from '@hub/platform';

/** The port the gateway needs from a token store. */
export interface TokenVerifier {
  verify(token: string): TokenPrincipal | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: TokenPrincipal;
  }
}

export function requireToken(tokens: TokenVerifier) {
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? tokens.verify(match[1]) : undefined;
    if (principal === undefined) {
      done(
        new HubError('UNAUTHORIZED', '缺少或无效的访问令牌 (missing or invalid bearer token)', {
          issues: [{ field: 'authorization', message: '应为 Bearer <令牌> (expected Bearer <token>)' }],
        }),
      );
      return;
    }
    req.principal = principal;
    done();
  };
}

/** Throws 403 when the token may not submit for the agency. */
export function assertMayIngest(principal: TokenPrincipal | undefined, agency: string, field: string): void {
  if (principal !== undefined && mayIngestFor(principal.scopes, agency)) return;
  throw new HubError(
    'FORBIDDEN',
    `此令牌无权报送 ${agency} 的记录 (this token may not submit for ${agency})`,
    {
      issues: [{ field, message: `令牌未授权部门 (token not scoped to) ${agency}` }],
    },
  );
}
