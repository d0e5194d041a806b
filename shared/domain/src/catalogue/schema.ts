/**
 * The shape of a published catalogue, checked with zod when a version is loaded: codes unique
 * and of the form D<domain>-<lead agency>-<nnn>, agencies known, the lead body not repeated
 * among the cooperating departments.
 */
import { z } from 'zod';
import { AGENCIES } from '../agencies.js';

const text = (max: number) => z.string().trim().min(1, '不能为空 (must not be empty)').max(max);
const agencyCode = z.string().refine((c) => AGENCIES[c] !== undefined && AGENCIES[c].kind !== 'finance', {
  message: '未知的执法部门代码 (unknown enforcement agency code)',
});

export const rawMatterSchema = z.strictObject({
  code: z
    .string()
    .regex(/^D[1-6]-[A-Z]{2,5}-\d{3}$/, '事项编码应形如 D6-GSJ-001 (code must look like D6-GSJ-001)'),
  name: text(100),
  en: text(200),
  legalBasis: text(500),
  domain: z.number().int().min(1).max(6),
  leadAgency: agencyCode,
  cooperatingAgencies: z.array(agencyCode).max(20),
});

export const rawCatalogueSchema = z
  .strictObject({
    version: z.string().regex(/^\d{4}\.\d{1,3}$/, '版本号应形如 2026.1 (version must look like 2026.1)'),
    title: text(200),
    matters: z.array(rawMatterSchema).min(1).max(5000),
  })
  .superRefine((cat, ctx) => {
    const seen = new Set<string>();
    cat.matters.forEach((m, i) => {
      const issue = (field: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: ['matters', i, field], message });
      if (seen.has(m.code)) issue('code', `事项编码重复 (duplicate code): ${m.code}`);
      seen.add(m.code);
      const [d, lead] = m.code.split('-');
      if (d !== `D${m.domain}`) issue('domain', `领域与编码不符 (domain does not match the code ${m.code})`);
      if (lead !== m.leadAgency)
        issue('leadAgency', `执法主体与编码不符 (lead body does not match the code ${m.code})`);
      if (m.cooperatingAgencies.includes(m.leadAgency)) {
        issue(
          'cooperatingAgencies',
          '配合部门不应包含执法主体 (the lead body is not also a cooperating department)',
        );
      }
      if (new Set(m.cooperatingAgencies).size !== m.cooperatingAgencies.length) {
        issue('cooperatingAgencies', '配合部门重复 (duplicate cooperating department)');
      }
    });
  });

export type RawMatter = z.input<typeof rawMatterSchema>;
export type RawCatalogue = z.input<typeof rawCatalogueSchema>;
