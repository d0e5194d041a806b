/**
 * The token verifier over the shared token store (`<HUB_DATA_DIR>/tokens.json`, hashed tokens):
 * a token's read-side scopes become the principal's roles; ingest scopes give no read access.
 */
import { openTokenStore } from '@hub/platform';
import { ingestAgencies, roleScopes } from '@hub/domain';
import type { TokenVerifier } from './authenticate.js';
import { parseRole, type Role } from './roles.js';

/**
 * @example
 * const tokens = createTokenVerifier(config.HUB_DATA_DIR);
 * tokens.verify(bearer); // { tokenId: 'tok_…', subject: '执委会办公室', roles: ['committee'], ingest: [] }
 */
export function createTokenVerifier(dataDir: string): TokenVerifier {
  const store = openTokenStore(dataDir, { recordUseAs: 'query-api' });
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
