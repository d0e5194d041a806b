/** 公共安全监管 departments' own exports. */
import {
  FINANCE_PAYMENT_MAPPING,
  inspectionMapping,
  penaltyDecisionMapping,
  type CsvMapping,
} from '@hub/agency-gateway';

export const MAPPINGS: readonly CsvMapping[] = [
  inspectionMapping({
    id: 'gaj-public-order-check',
    agency: 'GAJ',
    title: '公安局 治安检查登记 (public order inspections)',
    system: 'gaj-zajc',
    headers: {
      recordId: ['检查登记号'],
      name: ['场所名称'],
      officerNames: ['民警'],
      officerCerts: ['警号', '执法证号'],
    },
    defaults: { matters: 'D5-GAJ-001' },
  }),
  inspectionMapping({
    id: 'xfdd-fire-inspection',
    agency: 'XFDD',
    title: '公安消防大队 消防监督检查记录 (fire safety inspections)',
    system: 'xfdd-jdjc',
    headers: { recordId: ['检查记录编号'], name: ['单位名称'], officerNames: ['监督员'] },
    defaults: { matters: 'D5-XFDD-001' },
  }),
  inspectionMapping({
    id: 'ajj-safety-inspection',
    agency: 'AJJ',
    title: '安全监管局 安全生产执法检查 (work safety inspections)',
    system: 'ajj-zfjc',
    headers: { recordId: ['检查编号'], name: ['生产经营单位'] },
    defaults: { matters: 'D5-AJJ-001' },
  }),
  penaltyDecisionMapping({
    id: 'ajj-penalty-decision',
    agency: 'AJJ',
    title: '安全监管局 行政处罚决定 (penalty decisions)',
    system: 'ajj-case',
    headers: { recordId: ['决定记录编号'] },
  }),
  inspectionMapping({
    id: 'jtj-transport-inspection',
    agency: 'JTJ',
    title: '交通运输局 道路运输检查记录 (road transport inspections)',
    system: 'jtj-yzjc',
    headers: { recordId: ['检查单号'], name: ['经营业户'] },
    defaults: { matters: 'D5-JTJ-001' },
  }),
  FINANCE_PAYMENT_MAPPING,
];
