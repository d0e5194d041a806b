/**
 * Bearer-token authentication: the port the HTTP layer uses, and the errors it answers with
 * (401 without a valid token, 403 outside the role).
 */
import { HubError } from '@hub/domain';
import type { Principal, Resource } from './roles.js';

/** Looks a presented token up (hashed) in the token store; undefined when unknown, revoked or expired. */
export interface TokenVerifier {
  verify(token: string): Principal | undefined;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function authenticate(verifier: TokenVerifier, header: string | undefined): Principal {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) {
    throw new HubError(
      'UNAUTHORIZED',
      '需要访问令牌 (a bearer token is required: Authorization: Bearer <token>)',
      {
        issues: [{ field: 'authorization', message: '缺少 Bearer 令牌 (missing bearer token)' }],
      },
    );
  }
  const principal = verifier.verify(token);
  if (!principal) {
    throw new HubError(
      'UNAUTHORIZED',
      '访问令牌无效、已吊销或已过期 (the token is unknown, revoked or expired)',
      {
        issues: [
          { field: 'authorization', message: '令牌无效、已吊销或已过期 (unknown, revoked or expired token)' },
        ],
      },
    );
  }
  return principal;
}

export const forbidden = (resource: Resource, principal: Principal, why?: string): HubError =>
  new HubError(
    'FORBIDDEN',
    `当前角色 (${principal.roles.join(', ') || '无 none'}) 无权访问 ${resource} (your roles may not read ${resource})${why ? `: ${why}` : ''}`,
  );
