/**
 * The token verifier over the shared token store (`<HUB_DATA_DIR>/tokens.json`, hashed tokens,
 * or PostgreSQL's `hub_tokens` with READ_MODEL_URL, passed in as a store):
 * a token's read-side scopes become the principal's roles; ingest scopes give no read access.
 */
import { openTokenStore, type TokenStore } from '@hub/platform';
import { ingestAgencies, roleScopes } from '@hub/domain';
import type { TokenVerifier } from './authenticate.js';
import { parseRole, type Role } from './roles.js';

/**
 * @example
 * const tokens = createTokenVerifier(config.HUB_DATA_DIR);
 * tokens.verify(bearer); // { tokenId: 'tok_…', subject: '执委会办公室', roles: ['committee'], ingest: [] }
 */
export function createTokenVerifier(source: string | TokenStore): TokenVerifier {
  const store = typeof source === 'string' ? openTokenStore(source, { recordUseAs: 'query-api' }) : source;
  return {
    verify(token) {
      const found = store.verify(token);
      if (!found) return undefined;
      const roles = roleScopes(found.scopes)
        .map(parseRole)
        .filter((r): r is Role => r !== undefined);
      return { tokenId: found.id, subject: found.name, roles, ingest: ingestAgencies(found.scopes) };
    },
  };
}
