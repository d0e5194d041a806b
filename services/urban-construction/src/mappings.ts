/** 城市建设与运行管理 departments' own exports. */
import {
  FINANCE_PAYMENT_MAPPING,
  inspectionMapping,
  penaltyDecisionMapping,
  type CsvMapping,
} from '@hub/agency-gateway';

export const MAPPINGS: readonly CsvMapping[] = [
  inspectionMapping({
    id: 'cgj-patrol',
    agency: 'CGJ',
    title: '城管局 违法建设巡查记录 (illegal construction patrols)',
    system: 'cgj-szcg',
    headers: {
      recordId: ['巡查单号'],
      name: ['当事单位'],
      date: ['巡查日期'],
      result: ['处置结果'],
      officerNames: ['巡查队员'],
    },
    defaults: { reason: '日常巡查', matters: 'D3-CGJ-001' },
  }),
  penaltyDecisionMapping({
    id: 'cgj-penalty-decision',
    agency: 'CGJ',
    title: '城管局 行政处罚决定 (penalty decisions)',
    system: 'cgj-case',
    headers: { recordId: ['决定记录编号'] },
  }),
  inspectionMapping({
    id: 'ghj-planning-check',
    agency: 'GHJ',
    title: '城规局 规划核实检查 (planning compliance checks)',
    system: 'ghj-hs',
    headers: { recordId: ['核实编号'], name: ['建设单位'], date: ['核实日期'], result: ['核实结论'] },
    defaults: { reason: '年度计划', matters: 'D3-GHJ-002' },
  }),
  inspectionMapping({
    id: 'fgj-housing-check',
    agency: 'FGJ',
    title: '房管局 房屋安全与物业检查 (housing inspections)',
    system: 'fgj-wy',
    headers: { recordId: ['检查单号'], name: ['物业服务企业'] },
    defaults: { matters: 'D3-FGJ-004' },
  }),
  inspectionMapping({
    id: 'fgjs-site-check',
    agency: 'FGJS',
    title: '发改建设局 建设工程质量安全检查 (construction site checks)',
    system: 'fgjs-gc',
    headers: { recordId: ['监督编号'], name: ['施工单位'], date: ['监督日期'] },
    defaults: { matters: 'D3-FGJS-002' },
  }),
  inspectionMapping({
    id: 'gtj-land-patrol',
    agency: 'GTJ',
    title: '国土资源局 国土执法巡查 (land use patrols)',
    system: 'gtj-xc',
    headers: { recordId: ['巡查编号'], name: ['用地单位'], date: ['巡查日期'], result: ['巡查结果'] },
    defaults: { reason: '日常巡查', matters: 'D3-GTJ-001' },
  }),
  inspectionMapping({
    id: 'swj-water-inspection',
    agency: 'SWJ',
    title: '水务局 水政监察记录 (water inspections)',
    system: 'swj-szjc',
    headers: { recordId: ['监察编号'], name: ['取水单位'], date: ['监察日期'], officerNames: ['监察人员'] },
    defaults: { matters: 'D3-SWJ-001' },
  }),
  FINANCE_PAYMENT_MAPPING,
];
