/**
 * The plan's departments (执法部门), the six enforcement domains (综合执法大队) and the
 * committee offices, as data. Agency codes are upper-case pinyin initials: they appear in
 * NATS subjects, so they are ASCII and never contain personal data.
 *
 * @example
 * AGENCIES.GSJ.name; // '县工商局'
 * agenciesOfService('market-supervision'); // ['GSJ', 'ZJJ', 'SYJ', 'JMZX']
 */

/** 六个综合执法大队, by domain. */
export const DOMAINS = {
  1: { code: 'D1', name: '食品药品卫生', en: 'food, drugs and health' },
  2: { code: 'D2', name: '农林牧渔', en: 'agriculture, forestry, animal husbandry and fishery' },
  3: { code: 'D3', name: '城建环境资源', en: 'construction, environment and resources' },
  4: { code: 'D4', name: '文化娱乐', en: 'culture and entertainment' },
  5: { code: 'D5', name: '交通安全公安消防', en: 'transport, work safety, public security and fire' },
  6: { code: 'D6', name: '其他生产经营和市场流通', en: 'other production, business and market circulation' },
} as const;
export type DomainNo = keyof typeof DOMAINS;

/** The three focus areas of information sharing, each fronted by one agency service. */
export const SERVICES = {
  'market-supervision': { name: '市场监管', en: 'market supervision', defaultPort: 8081 },
  'urban-construction': {
    name: '城市建设与运行管理',
    en: 'urban construction and operation',
    defaultPort: 8082,
  },
  'public-safety': { name: '公共安全监管', en: 'public safety', defaultPort: 8083 },
} as const;
export type ServiceName = keyof typeof SERVICES;

export type AgencyKind = 'enforcement' | 'police' | 'finance' | 'office' | 'procuratorate';

export interface Agency {
  readonly code: string;
  readonly name: string;
  readonly en: string;
  readonly kind: AgencyKind;
  readonly domains: readonly DomainNo[];
  /** The agency service that fronts it; undefined for departments that publish directly. */
  readonly service: ServiceName | undefined;
}

const agency = (
  code: string,
  name: string,
  en: string,
  domains: DomainNo[],
  service: ServiceName | undefined,
  kind: AgencyKind = 'enforcement',
): Agency => Object.freeze({ code, name, en, kind, domains: Object.freeze(domains), service });

const LIST: readonly Agency[] = [
  agency('GSJ', '县工商局', 'Administration for Industry and Commerce', [6], 'market-supervision'),
  agency('ZJJ', '县质监局', 'Quality and Technical Supervision Bureau', [6, 1], 'market-supervision'),
  agency('SYJ', '县食品药品监管局', 'Food and Drug Administration', [1], 'market-supervision'),
  agency('JMZX', '县集贸市场管理中心', 'Market Fair Management Centre', [6], 'market-supervision'),
  agency('CGJ', '县城管局', 'Urban Management Bureau', [3], 'urban-construction'),
  agency('GHJ', '县城规局', 'Urban Planning Bureau', [3], 'urban-construction'),
  agency('FGJ', '县房管局', 'Housing Administration Bureau', [3], 'urban-construction'),
  agency('FGJS', '县发改建设局', 'Development, Reform and Construction Bureau', [3], 'urban-construction'),
  agency('GTJ', '县国土资源局', 'Land and Resources Bureau', [3], 'urban-construction'),
  agency('SWJ', '县水务局', 'Water Affairs Bureau', [3], 'urban-construction'),
  agency('GAJ', '县公安局', 'Public Security Bureau', [5], 'public-safety', 'police'),
  agency('XFDD', '县公安消防大队', 'Fire Brigade', [5], 'public-safety'),
  agency('AJJ', '县安全监管局', 'Work Safety Bureau', [5], 'public-safety'),
  agency('JTJ', '县交通运输局', 'Transport Bureau', [5], 'public-safety'),
  agency('NYJ', '县农业局', 'Agriculture Bureau', [2], undefined),
  agency('LYJ', '县林业局', 'Forestry Bureau', [2], undefined),
  agency('XMJ', '县畜牧兽医渔业局', 'Animal Husbandry, Veterinary and Fishery Bureau', [2], undefined),
  agency('WGXJ', '县文广新局', 'Culture, Radio, Film and Press Bureau', [4], undefined),
  agency('WSJ', '县卫生局', 'Health Bureau', [1], undefined),
  agency('JXJ', '县经信局', 'Economy and Information Bureau', [6], undefined),
  agency('RSJ', '县人社局', 'Human Resources and Social Security Bureau', [6], undefined),
  agency('GSWJ', '县国税局', 'State Taxation Bureau', [6], undefined),
  agency('DSJ', '县地税局', 'Local Taxation Bureau', [6], undefined),
  // Not an enforcement body: reports fines paid into the treasury (缴罚分离).
  agency('CZJ', '县财政局', 'Finance Bureau', [], undefined, 'finance'),
  // The committee's offices and the procuratorate publish directly (calendar, clock ticks,
  // 案卷评查, conduct complaints, 立案监督); they enforce nothing.
  agency('ZWH', '县行政综合执法委员会办公室', 'Enforcement committee office', [], undefined, 'office'),
  agency('JDB', '县行政综合执法监督办公室', 'Supervision office', [], undefined, 'office'),
  agency('FZB', '县法制局', 'Legal affairs office', [], undefined, 'office'),
  agency('JCY', '县人民检察院', "People's Procuratorate", [], undefined, 'procuratorate'),
];

export const AGENCIES: Readonly<Record<string, Agency>> = Object.freeze(
  Object.fromEntries(LIST.map((a) => [a.code, a])),
);
export const AGENCY_CODES: readonly string[] = LIST.map((a) => a.code);

export const isAgencyCode = (code: string): boolean => Object.hasOwn(AGENCIES, code);

export const agenciesOfService = (service: ServiceName): string[] =>
  LIST.filter((a) => a.service === service).map((a) => a.code);

/** 执委会 and its four offices: the hub's readers besides the agencies. */
export const OFFICES = {
  committee: { name: '执委会办公室', en: 'committee office' },
  consulting: { name: '决策咨询办公室', en: 'decision consulting office' },
  execution: { name: '执行办公室', en: 'execution office' },
  supervision: { name: '监督办公室', en: 'supervision office' },
  // Readers besides the committee: legal affairs (法制审核、案卷评查) and the procuratorate (立案监督).
  legal: { name: '法制办', en: 'legal affairs office' },
  procuratorate: { name: '检察院', en: "people's procuratorate" },
} as const;

/**
 * The committee office's own 统一社会信用代码 (an organ of the county government, 11…): the
 * business token of the subjects of events about no business (clock ticks, calendar versions).
 */
export const HUB_OFFICE_USCC = '11350100MB00000012';
