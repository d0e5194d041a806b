/** 市场监管 departments' own exports, as their systems write them. */
import {
  complaintMapping,
  FINANCE_PAYMENT_MAPPING,
  inspectionMapping,
  penaltyDecisionMapping,
  type CsvMapping,
} from '@hub/agency-gateway';

export const MAPPINGS: readonly CsvMapping[] = [
  inspectionMapping({
    id: 'gsj-random-inspection',
    agency: 'GSJ',
    title: '工商局 双随机抽查结果 (random inspection results)',
    system: 'gsj-sjsj',
    headers: { recordId: ['抽查编号'], result: ['抽查结果'], date: ['抽查日期'] },
    defaults: { reason: '双随机', matters: 'D6-GSJ-001' },
  }),
  penaltyDecisionMapping({
    id: 'gsj-penalty-decision',
    agency: 'GSJ',
    title: '工商局 行政处罚决定信息 (penalty decisions)',
    system: 'gsj-case',
    headers: { recordId: ['决定记录编号'] },
  }),
  complaintMapping({
    id: 'gsj-12315-complaint',
    agency: 'GSJ',
    title: '工商局 12315 投诉举报登记 (complaints hotline register)',
    system: 'gsj-12315',
    headers: { recordId: ['登记编号'] },
    defaults: { channel: '12315' },
  }),
  inspectionMapping({
    id: 'zjj-quality-check',
    agency: 'ZJJ',
    title: '质监局 产品质量监督抽查 (product quality spot checks)',
    system: 'zjj-ccxt',
    headers: { recordId: ['任务编号'], name: ['受检单位名称'], result: ['检验结论'], date: ['抽样日期'] },
    defaults: { reason: '双随机', matters: 'D6-ZJJ-001' },
  }),
  inspectionMapping({
    id: 'syj-food-inspection',
    agency: 'SYJ',
    title: '食品药品监管局 食品经营监督检查记录 (food business inspections)',
    system: 'syj-jdjc',
    headers: { recordId: ['检查记录号'], name: ['经营者名称'] },
    defaults: { matters: 'D1-SYJ-001' },
  }),
  inspectionMapping({
    id: 'jmzx-market-patrol',
    agency: 'JMZX',
    title: '集贸市场管理中心 市场巡查记录 (market patrols)',
    system: 'jmzx-xc',
    headers: {
      recordId: ['巡查编号'],
      name: ['商户名称'],
      date: ['巡查日期'],
      result: ['巡查结果'],
      officerNames: ['巡查人员'],
    },
    defaults: { reason: '日常巡查', matters: 'D6-GSJ-001' },
  }),
  FINANCE_PAYMENT_MAPPING,
];
