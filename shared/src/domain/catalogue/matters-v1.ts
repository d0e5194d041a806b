import type { Matter } from './index.js';

const m = (
  code: string,
  name: string,
  legalBasis: string,
  domain: Matter['domain'],
  leadAgency: string,
  cooperatingAgencies: string[] = [],
): Matter => Object.freeze({ code, name, legalBasis, domain, leadAgency, cooperatingAgencies: Object.freeze(cooperatingAgencies) });

/** Catalogue version 2026.1. Codes: D<domain>-<lead agency>-<nnn>. */
export const MATTERS_V1: readonly Matter[] = Object.freeze([
  m('D6-GSJ-001', '无照经营查处', '《无证无照经营查处办法》第十三条', 6, 'GSJ', ['JMZX']),
  m('D6-GSJ-002', '虚假宣传查处', '《反不正当竞争法》第二十条', 6, 'GSJ'),
  m('D6-ZJJ-001', '产品质量监督抽查', '《产品质量法》第十五条', 6, 'ZJJ', ['GSJ']),
  m('D1-SYJ-001', '食品经营许可检查', '《食品安全法》第一百二十二条', 1, 'SYJ', ['JMZX']),
  m('D3-CGJ-001', '违法建设查处', '《城乡规划法》第六十四条', 3, 'CGJ', ['GHJ', 'FGJS']),
  m('D3-SWJ-001', '违法取水查处', '《水法》第六十九条', 3, 'SWJ'),
  m('D5-XFDD-001', '消防安全检查', '《消防法》第六十条', 5, 'XFDD', ['AJJ']),
  m('D5-AJJ-001', '安全生产检查', '《安全生产法》第一百零一条', 5, 'AJJ', ['XFDD']),
  m('D5-JTJ-001', '道路运输经营检查', '《道路运输条例》第六十三条', 5, 'JTJ', ['GAJ']),
]);
