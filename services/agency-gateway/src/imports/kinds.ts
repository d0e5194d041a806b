/**
 * The kinds of department export and how a row of each becomes one event in canonical JSON.
 * Columns are logical names with the Chinese headers department systems commonly use.
 */
import type { CsvMapping } from './mapping.js';
import {
  parseAgency,
  parseBool,
  parseLabel,
  parseLocalDateTime,
  parseYuanToFen,
  splitList,
  type Cell,
} from './values.js';

export type MappingKind = 'inspection' | 'penalty-decision' | 'complaint' | 'payment';

export interface BuildContext {
  cell(column: string): string | undefined;
  fail(column: string, message: string): void;
  mapping: CsvMapping;
}

interface Kind {
  readonly columns: Readonly<Record<string, readonly string[]>>;
  readonly required: readonly string[];
  /** Event field path prefix → logical column, to name the column in a report. */
  readonly fields: readonly (readonly [string, string])[];
  build(ctx: BuildContext): Record<string, unknown>;
}

const COMMON = {
  recordId: ['记录编号', '编号', '流水号', '记录号'],
  revision: ['版本', '版本号', '修订号'],
  uscc: ['统一社会信用代码', '社会信用代码', '信用代码'],
  name: ['企业名称', '单位名称', '经营者名称', '当事人名称', '当事人'],
  address: ['地址', '经营地址', '住所'],
};
const COMMON_FIELDS = [
  ['business.uscc', 'uscc'],
  ['business.name', 'name'],
  ['business.address', 'address'],
  ['source.recordId', 'recordId'],
  ['source.revision', 'revision'],
  ['occurredAt', 'date'],
] as const;

const REASONS = {
  RANDOM_SELECTION: ['双随机', '随机抽查', '双随机抽查'],
  ANNUAL_PLAN: ['年度计划', '计划检查', '日常检查', '日常巡查'],
  COMPLAINT: ['投诉举报', '投诉', '举报'],
  FOLLOW_UP: ['复查', '整改复查'],
  SPECIAL_CAMPAIGN: ['专项整治', '专项检查', '专项行动'],
  REFERRAL: ['移送', '转办', '交办'],
} as const;
const RESULTS = {
  NO_ISSUES: ['未发现问题', '合格', '正常', '无问题'],
  RECTIFICATION_ORDERED: ['责令整改', '限期整改', '不合格'],
  CASE_OPENED: ['立案查处', '立案'],
  NOT_FOUND: ['查无此户', '未找到', '无法检查', '未开业'],
} as const;
const CHANNELS = {
  HOTLINE: ['热线', '12315', '12345', '电话'],
  ONLINE: ['网络', '网上', '在线'],
  LETTER: ['信件', '来信'],
  VISIT: ['来访', '现场'],
} as const;

function get<T>(ctx: BuildContext, column: string, parse: (raw: string) => Cell<T>): T | undefined {
  const raw = ctx.cell(column);
  if (raw === undefined) return undefined;
  const r = parse(raw);
  if (!r.ok) ctx.fail(column, r.message);
  return r.ok ? r.value : undefined;
}

/** Envelope fields every kind shares. */
function envelope(ctx: BuildContext, agency: string, dateColumn = 'date'): Record<string, unknown> {
  const revision = get(ctx, 'revision', (s) =>
    /^\d+$/.test(s)
      ? { ok: true, value: Number(s) }
      : { ok: false, message: `版本应为非负整数 (revision must be a whole number): "${s}"` },
  );
  return {
    agency,
    business: { uscc: ctx.cell('uscc') ?? '', name: ctx.cell('name'), address: ctx.cell('address') },
    occurredAt: get(ctx, dateColumn, parseLocalDateTime) ?? '',
    source: { system: ctx.mapping.system, recordId: ctx.cell('recordId') ?? '', revision: revision ?? 0 },
  };
}

const prefixed = <T extends string>(prefix: string, value: T | undefined) =>
  value === undefined ? undefined : `${prefix}_${value}`;

const inspection: Kind = {
  columns: {
    ...COMMON,
    date: ['检查日期', '检查时间', '抽查日期', '巡查日期', '完成日期'],
    start: ['开始时间', '检查开始时间'],
    reason: ['检查事由', '检查原因', '检查类型', '任务来源'],
    result: ['检查结果', '处理结果', '抽查结果', '巡查结果', '检验结论'],
    matters: ['执法事项编码', '检查事项编码', '事项编码', '检查事项'],
    officerNames: ['检查人员', '执法人员', '巡查人员'],
    officerCerts: ['执法证号', '执法证件号', '执法证编号'],
    findings: ['发现问题', '检查情况', '问题描述'],
    inspectionId: ['检查编号', '任务编号'],
  },
  required: ['recordId', 'uscc', 'date', 'reason', 'result', 'matters', 'officerNames', 'officerCerts'],
  fields: [
    ...COMMON_FIELDS,
    ['inspectionCompleted.officers', 'officerCerts'],
    ['inspectionCompleted.matterCodes', 'matters'],
    ['inspectionCompleted.findings', 'findings'],
    ['inspectionCompleted.startedAt', 'start'],
    ['inspectionCompleted.reason', 'reason'],
    ['inspectionCompleted.result', 'result'],
    ['inspectionCompleted.inspectionId', 'inspectionId'],
  ],
  build(ctx) {
    const names = splitList(ctx.cell('officerNames') ?? '');
    const certs = splitList(ctx.cell('officerCerts') ?? '');
    if (names.length !== certs.length) {
      ctx.fail(
        'officerCerts',
        `检查人员与执法证号数量不一致 (${names.length} names, ${certs.length} certificates)`,
      );
    }
    const matters = splitList(ctx.cell('matters') ?? '');
    const findings = ctx.cell('findings');
    const result = get(ctx, 'result', (s) => parseLabel(s, RESULTS, '检查结果'));
    return {
      ...envelope(ctx, ctx.mapping.agency),
      inspectionCompleted: {
        inspectionId: ctx.cell('inspectionId') ?? ctx.cell('recordId') ?? '',
        reason:
          prefixed(
            'INSPECTION_REASON',
            get(ctx, 'reason', (s) => parseLabel(s, REASONS, '检查事由')),
          ) ?? '',
        result: prefixed('INSPECTION_RESULT', result) ?? '',
        matterCodes: matters,
        findings:
          findings === undefined || findings === '无'
            ? []
            : [
                {
                  matterCode: matters[0] ?? '',
                  description: findings,
                  violation: result !== undefined && result !== 'NO_ISSUES',
                },
              ],
        officers: names.map((name, i) => ({ name, certificateNo: certs[i] ?? '' })),
        startedAt: get(ctx, 'start', parseLocalDateTime),
      },
    };
  },
};

const penaltyDecision: Kind = {
  columns: {
    ...COMMON,
    caseId: ['案件编号', '案号', '立案编号'],
    decisionNo: ['决定书文号', '处罚决定书文号', '文号'],
    date: ['决定日期', '处罚日期', '作出决定日期'],
    violation: ['违法行为编码', '违法行为代码', '违法事项编码'],
    basis: ['处罚依据', '法律依据'],
    amount: ['罚款金额(元)', '罚没金额(元)', '罚款金额'],
    other: ['其他处罚', '其他处罚种类'],
    major: ['重大案件', '是否重大'],
  },
  required: ['recordId', 'uscc', 'caseId', 'decisionNo', 'date', 'violation', 'basis', 'amount'],
  fields: [
    ...COMMON_FIELDS,
    ['penaltyDecided.caseId', 'caseId'],
    ['penaltyDecided.decisionNo', 'decisionNo'],
    ['penaltyDecided.violationCode', 'violation'],
    ['penaltyDecided.legalBasisArticles', 'basis'],
    ['penaltyDecided.amountFen', 'amount'],
    ['penaltyDecided.otherSanctions', 'other'],
  ],
  build(ctx) {
    const major = ctx.cell('major');
    return {
      ...envelope(ctx, ctx.mapping.agency),
      penaltyDecided: {
        caseId: ctx.cell('caseId') ?? '',
        decisionNo: ctx.cell('decisionNo') ?? '',
        violationCode: ctx.cell('violation') ?? '',
        legalBasisArticles: (ctx.cell('basis') ?? '')
          .split(/[；;]/)
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        amountFen: get(ctx, 'amount', parseYuanToFen) ?? 0,
        otherSanctions: splitList(ctx.cell('other') ?? '').filter((s) => s !== '无'),
        ...(major !== undefined ? { major: parseBool(major) } : {}),
      },
    };
  },
};

const complaint: Kind = {
  columns: {
    ...COMMON,
    date: ['登记时间', '受理时间', '投诉时间', '登记日期'],
    channel: ['渠道', '来源', '投诉渠道', '举报渠道'],
    summary: ['内容摘要', '投诉内容', '举报内容', '诉求内容'],
    matters: ['涉及事项', '事项编码', '执法事项编码'],
  },
  required: ['recordId', 'uscc', 'date', 'summary'],
  fields: [
    ...COMMON_FIELDS,
    ['complaintReceived.summary', 'summary'],
    ['complaintReceived.matterCodes', 'matters'],
    ['complaintReceived.channel', 'channel'],
  ],
  build(ctx) {
    return {
      ...envelope(ctx, ctx.mapping.agency),
      complaintReceived: {
        complaintId: ctx.cell('recordId') ?? '',
        channel: prefixed(
          'COMPLAINT_CHANNEL',
          get(ctx, 'channel', (s) => parseLabel(s, CHANNELS, '渠道')),
        ),
        summary: ctx.cell('summary') ?? '',
        matterCodes: splitList(ctx.cell('matters') ?? ''),
        // Complainants' identities stay in the department's system; the hub records the fact.
        anonymous: true,
      },
    };
  },
};

const payment: Kind = {
  columns: {
    ...COMMON,
    recordId: ['缴款流水号', '流水号', '记录编号'],
    name: ['缴款单位名称', '缴款人', ...COMMON.name],
    date: ['缴款日期', '缴款时间', '入库日期'],
    caseId: ['案件编号', '案号'],
    decisionNo: ['处罚决定书文号', '决定书文号'],
    deciding: ['执收单位', '决定机关', '执收单位编码'],
    amount: ['缴款金额(元)', '金额(元)', '缴款金额', '金额'],
    bank: ['收款银行', '代收银行'],
    receipt: ['票据号', '票据号码', '缴款书号'],
  },
  required: ['recordId', 'uscc', 'date', 'caseId', 'decisionNo', 'deciding', 'amount'],
  fields: [
    ...COMMON_FIELDS,
    ['paymentReceived.decidingAgency', 'deciding'],
    ['paymentReceived.amountFen', 'amount'],
    ['paymentReceived.caseId', 'caseId'],
    ['paymentReceived.decisionNo', 'decisionNo'],
    ['agency', 'deciding'],
  ],
  build(ctx) {
    return {
      ...envelope(ctx, ctx.mapping.agency),
      paymentReceived: {
        caseId: ctx.cell('caseId') ?? '',
        decisionNo: ctx.cell('decisionNo') ?? '',
        decidingAgency: get(ctx, 'deciding', parseAgency) ?? '',
        amountFen: get(ctx, 'amount', parseYuanToFen) ?? 0,
        bank: ctx.cell('bank'),
        receiptNo: ctx.cell('receipt'),
      },
    };
  },
};

export const KINDS: Readonly<Record<MappingKind, Kind>> = {
  inspection,
  'penalty-decision': penaltyDecision,
  complaint,
  payment,
};
