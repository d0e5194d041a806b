/** The matter catalogue (执法事项目录): public, from @hub/shared (the current version or a named one). */
import { z } from 'zod';
import { CATALOGUES, CURRENT_CATALOGUE, DOMAINS } from '@hub/domain';
import { agencyParam } from '../params.js';
import { route } from '../route.js';
import { MattersSchema } from '../schemas.js';

const domainKeys = Object.keys(DOMAINS) as [string, ...string[]];

const mattersRoute = route({
  operationId: 'listMatters',
  url: '/v1/matters',
  summary: '执法事项目录 The matter catalogue (public)',
  description:
    '每个执法事项的法律依据、领域、执法主体和配合部门。Legal basis, domain, lead body and cooperating agencies.',
  tags: ['catalogue'],
  needsReadModel: false,
  query: z.strictObject({
    agency: agencyParam
      .optional()
      .meta({ description: '只看该部门为执法主体或配合部门的事项 (lead or cooperating)' }),
    domain: z.enum(domainKeys).optional().meta({ description: '领域 1–6 (enforcement domain)' }),
    // A replay asks which catalogue applied then: every published version stays readable.
    version: z
      .enum(CATALOGUES.map((c) => c.version) as [string, ...string[]])
      .optional()
      .meta({
        description: `目录版本，默认当前 (catalogue version; default the current one, ${CURRENT_CATALOGUE.version})`,
      }),
  }),
  response: MattersSchema,
  handler({ query }) {
    const catalogue = CATALOGUES.find((c) => c.version === query.version) ?? CURRENT_CATALOGUE;
    const items = catalogue.matters.filter(
      (m) =>
        (query.agency === undefined ||
          m.leadAgency === query.agency ||
          m.cooperatingAgencies.includes(query.agency)) &&
        (query.domain === undefined || String(m.domain) === query.domain),
    );
    return Promise.resolve({
      version: catalogue.version,
      title: catalogue.title,
      sha256: catalogue.sha256,
      // Field by field: a field added to the catalogue joins the API only with its schema.
      items: items.map((m) => ({
        code: m.code,
        name: m.name,
        en: m.en,
        legalBasis: m.legalBasis,
        domain: m.domain,
        leadAgency: m.leadAgency,
        cooperatingAgencies: [...m.cooperatingAgencies],
      })),
    });
  },
});

export const catalogueRoutes = [mattersRoute];
