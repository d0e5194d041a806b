/**
 * `GET /v1/me`: what the presented token is — its holder, roles, agencies, the agencies it may act
 * for, and what it may read per resource of the role matrix. The dashboard signs in with it and
 * offers only what the token may see.
 */
import { z } from 'zod';
import { agencyOfRole, accessSummary, roleName, type Principal } from '../../auth/roles.js';
import { route } from '../route.js';
import { named } from '../schemas/common.js';

export const MeSchema = named(
  'Me',
  z.strictObject({
    tokenId: z.string(),
    subject: z.string().nullable(),
    roles: z.array(z.string()),
    roleNames: z.array(z.string()),
    agencies: z
      .array(z.string())
      .meta({ description: '`agency:X` 角色的部门代码 (agency codes of the token)' }),
    ingest: z
      .union([z.literal('*'), z.array(z.string())])
      .meta({ description: '可代表报送（确认、处理预警）的部门 (agencies it may submit for; "*": all)' }),
    may: z
      .record(z.string(), z.enum(['all', 'own', 'none']))
      .meta({ description: '按资源的读取权限 (per resource of the role matrix: all, own rows, none)' }),
  }),
);

export const presentMe = (p: Principal) => ({
  tokenId: p.tokenId,
  subject: p.subject ?? null,
  roles: [...p.roles],
  roleNames: p.roles.map(roleName),
  agencies: p.roles.map(agencyOfRole).filter((a): a is string => a !== undefined),
  ingest: p.ingest === '*' ? ('*' as const) : [...(p.ingest ?? [])],
  may: accessSummary(p),
});

const meRoute = route({
  operationId: 'getMe',
  url: '/v1/me',
  summary: '当前令牌 The presented token',
  description:
    '令牌持有人、角色、部门及各资源的读取权限；不读读模型。Holder, roles, agencies and read rights per resource; ' +
    'answers without a read model.',
  tags: ['auth'],
  resource: 'self',
  needsReadModel: false,
  response: MeSchema,
  handler: ({ principal }) => Promise.resolve(presentMe(principal as Principal)),
});

export const meRoutes = [meRoute];
