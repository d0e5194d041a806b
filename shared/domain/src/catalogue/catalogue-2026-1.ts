/**
 * 执法事项目录 2026.1 — the county's enforcement matters as published data. Codes are
 * D<domain>-<lead agency>-<nnn>; the domain and lead body are spelt out again in each entry
 * (the loader checks they agree) so the JSON form reads on its own.
 *
 * Legal bases name the article that empowers the inspection or sets the penalty. A new
 * version is a new file, added to `CATALOGUES` in `index.ts`, never an edit of this one.
 */
import type { RawCatalogue, RawMatter } from './schema.js';

const m = (
  code: string,
  name: string,
  en: string,
  legalBasis: string,
  cooperating: string[] = [],
): RawMatter => {
  const [d = '', lead = ''] = code.split('-');
  return {
    code,
    name,
    en,
    legalBasis,
    domain: Number(d.slice(1)),
    leadAgency: lead,
    cooperatingAgencies: cooperating,
  };
};

export const CATALOGUE_2026_1: RawCatalogue = {
  version: '2026.1',
  title: '县综合行政执法事项目录（2026年第1版）',
  matters: [
    // 1 食品药品卫生 — food, drugs and health
    m('D1-SYJ-001', '食品经营许可检查', 'Food business licence inspection', '《食品安全法》第一百二十二条', [
      'JMZX',
    ]),
    m(
      'D1-SYJ-002',
      '食品生产经营过程监督检查',
      'Food production and sale process inspection',
      '《食品安全法》第一百一十条、第一百二十六条',
    ),
    m(
      'D1-SYJ-003',
      '餐饮服务食品安全检查',
      'Catering food safety inspection',
      '《食品安全法》第五十五条、第一百二十六条',
      ['WSJ'],
    ),
    m(
      'D1-SYJ-004',
      '药品经营质量管理规范检查',
      'Good supply practice inspection of drug retailers',
      '《药品管理法》第一百二十六条',
    ),
    m(
      'D1-SYJ-005',
      '医疗器械经营检查',
      'Medical device trade inspection',
      '《医疗器械监督管理条例》第八十六条',
    ),
    m('D1-SYJ-006', '化妆品经营检查', 'Cosmetics trade inspection', '《化妆品监督管理条例》第六十八条', [
      'GSJ',
    ]),
    m(
      'D1-SYJ-007',
      '生产销售假药劣药查处',
      'Counterfeit and substandard drugs',
      '《药品管理法》第一百一十六条、第一百一十七条',
      ['GAJ'],
    ),
    m(
      'D1-JMZX-001',
      '集中交易市场开办者食品安全管理检查',
      'Food safety duties of market operators',
      '《食品安全法》第六十一条、第一百三十条',
      ['SYJ'],
    ),
    m(
      'D1-WSJ-001',
      '公共场所卫生检查',
      'Public place hygiene inspection',
      '《公共场所卫生管理条例》第十四条',
      ['SYJ'],
    ),
    m(
      'D1-WSJ-002',
      '未取得医疗机构执业许可证擅自执业查处',
      'Unlicensed medical practice',
      '《基本医疗卫生与健康法》第九十九条',
      ['GSJ'],
    ),
    m('D1-WSJ-003', '生活饮用水卫生检查', 'Drinking water hygiene inspection', '《传染病防治法》第七十三条', [
      'SWJ',
    ]),
    m(
      'D1-WSJ-004',
      '职业病危害防治检查',
      'Occupational disease prevention inspection',
      '《职业病防治法》第七十一条',
      ['AJJ'],
    ),

    // 2 农林牧渔 — agriculture, forestry, animal husbandry and fishery
    m('D2-NYJ-001', '农药经营检查', 'Pesticide trade inspection', '《农药管理条例》第五十五条', ['GSJ']),
    m(
      'D2-NYJ-002',
      '生产经营假劣种子查处',
      'Counterfeit and substandard seeds',
      '《种子法》第七十五条、第七十六条',
      ['GSJ'],
    ),
    m(
      'D2-NYJ-003',
      '肥料登记和质量检查',
      'Fertiliser registration and quality inspection',
      '《肥料登记管理办法》第二十六条',
      ['ZJJ'],
    ),
    m(
      'D2-NYJ-004',
      '农产品生产质量安全检查',
      'Farm produce quality and safety inspection',
      '《农产品质量安全法》第七十条',
      ['SYJ'],
    ),
    m('D2-LYJ-001', '收购加工运输非法来源林木查处', 'Timber of illegal origin', '《森林法》第七十八条', [
      'GAJ',
    ]),
    m(
      'D2-LYJ-002',
      '非法经营利用野生动物查处',
      'Illegal trade in wild animals',
      '《野生动物保护法》第四十八条',
      ['GSJ', 'GAJ'],
    ),
    m('D2-LYJ-003', '毁坏森林林地查处', 'Destruction of forests and forest land', '《森林法》第七十四条', [
      'GTJ',
    ]),
    m('D2-XMJ-001', '兽药经营检查', 'Veterinary drug trade inspection', '《兽药管理条例》第五十六条'),
    m('D2-XMJ-002', '动物防疫检查', 'Animal epidemic prevention inspection', '《动物防疫法》第九十七条', [
      'SYJ',
    ]),
    m('D2-XMJ-003', '生猪屠宰检查', 'Pig slaughter inspection', '《生猪屠宰管理条例》第三十一条', [
      'SYJ',
      'GAJ',
    ]),
    m('D2-XMJ-004', '渔业捕捞检查', 'Fishing inspection', '《渔业法》第三十八条', ['SWJ']),

    // 3 城建环境资源 — construction, environment and resources
    m('D3-CGJ-001', '违法建设查处', 'Unlawful construction', '《城乡规划法》第六十四条', ['GHJ', 'FGJS']),
    m(
      'D3-CGJ-002',
      '擅自占用城市道路经营查处',
      'Trading on city roads without permission',
      '《城市道路管理条例》第四十二条',
      ['GAJ'],
    ),
    m(
      'D3-CGJ-003',
      '户外广告设施设置检查',
      'Outdoor advertising installations',
      '《城市市容和环境卫生管理条例》第三十六条',
      ['GSJ'],
    ),
    m(
      'D3-CGJ-004',
      '建筑垃圾违法倾倒查处',
      'Unlawful dumping of construction waste',
      '《固体废物污染环境防治法》第一百一十一条',
      ['FGJS'],
    ),
    m(
      'D3-CGJ-005',
      '餐饮服务业油烟污染查处',
      'Cooking fume pollution from restaurants',
      '《大气污染防治法》第一百一十八条',
      ['SYJ'],
    ),
    m('D3-CGJ-006', '建筑施工噪声污染查处', 'Construction noise pollution', '《噪声污染防治法》第七十七条', [
      'FGJS',
    ]),
    m(
      'D3-GHJ-001',
      '未取得建设工程规划许可证建设查处',
      'Building without a construction planning permit',
      '《城乡规划法》第四十条、第六十四条',
      ['CGJ'],
    ),
    m(
      'D3-GHJ-002',
      '建设工程规划条件核实检查',
      'Verification of planning conditions',
      '《城乡规划法》第四十五条',
      ['FGJS'],
    ),
    m(
      'D3-GHJ-003',
      '乡村建设规划许可检查',
      'Rural construction planning permit inspection',
      '《城乡规划法》第四十一条、第六十五条',
      ['GTJ'],
    ),
    m(
      'D3-FGJ-001',
      '房地产开发企业资质检查',
      'Real estate developer qualification inspection',
      '《城市房地产开发经营管理条例》第三十四条',
      ['FGJS'],
    ),
    m(
      'D3-FGJ-002',
      '未取得预售许可预售商品房查处',
      'Pre-sale of housing without a pre-sale permit',
      '《城市房地产管理法》第六十八条',
    ),
    m(
      'D3-FGJ-003',
      '房地产经纪机构检查',
      'Real estate agency inspection',
      '《房地产经纪管理办法》第三十三条',
      ['GSJ'],
    ),
    m(
      'D3-FGJ-004',
      '物业服务企业检查',
      'Property management company inspection',
      '《物业管理条例》第五十九条',
    ),
    m(
      'D3-FGJS-001',
      '建筑工程施工许可检查',
      'Construction permit inspection',
      '《建筑法》第七条、第六十四条',
      ['GHJ'],
    ),
    m(
      'D3-FGJS-002',
      '建设工程质量检查',
      'Construction quality inspection',
      '《建设工程质量管理条例》第六十四条',
    ),
    m(
      'D3-FGJS-003',
      '建筑施工安全生产检查',
      'Construction site safety inspection',
      '《建设工程安全生产管理条例》第六十二条',
      ['AJJ'],
    ),
    m('D3-FGJS-004', '招标投标活动检查', 'Tendering and bidding inspection', '《招标投标法》第四十九条'),
    m('D3-GTJ-001', '非法占用土地查处', 'Illegal occupation of land', '《土地管理法》第七十七条', [
      'GHJ',
      'CGJ',
    ]),
    m('D3-GTJ-002', '无证开采矿产资源查处', 'Mining without a licence', '《矿产资源法》第三十九条', ['GAJ']),
    m('D3-GTJ-003', '非法转让土地查处', 'Illegal transfer of land', '《土地管理法》第七十四条'),
    m('D3-SWJ-001', '违法取水查处', 'Unlawful water abstraction', '《水法》第六十九条'),
    m(
      'D3-SWJ-002',
      '河道管理范围内违法建设查处',
      'Unlawful building within river management zones',
      '《水法》第六十五条',
      ['CGJ', 'GHJ'],
    ),
    m('D3-SWJ-003', '河道非法采砂查处', 'Illegal sand mining in rivers', '《河道管理条例》第四十四条', [
      'GTJ',
      'GAJ',
    ]),
    m('D3-SWJ-004', '入河排污口设置检查', 'Sewage outfalls into rivers', '《水法》第三十四条、第六十七条'),
    m('D3-SWJ-005', '水土保持检查', 'Soil and water conservation inspection', '《水土保持法》第五十三条', [
      'GTJ',
    ]),

    // 4 文化娱乐 — culture and entertainment
    m(
      'D4-WGXJ-001',
      '互联网上网服务营业场所检查',
      'Internet café inspection',
      '《互联网上网服务营业场所管理条例》第三十一条',
      ['GAJ'],
    ),
    m(
      'D4-WGXJ-002',
      '娱乐场所经营检查',
      'Entertainment venue business inspection',
      '《娱乐场所管理条例》第四十八条',
      ['GAJ', 'XFDD'],
    ),
    m('D4-WGXJ-003', '出版物经营检查', 'Publication trade inspection', '《出版管理条例》第六十一条', ['GSJ']),
    m(
      'D4-WGXJ-004',
      '营业性演出检查',
      'Commercial performance inspection',
      '《营业性演出管理条例》第四十三条',
      ['GAJ'],
    ),
    m(
      'D4-GAJ-001',
      '娱乐场所治安管理检查',
      'Public order in entertainment venues',
      '《娱乐场所管理条例》第四十四条',
      ['WGXJ'],
    ),

    // 5 交通安全公安消防 — transport, work safety, public security and fire
    m('D5-XFDD-001', '消防安全检查', 'Fire safety inspection', '《消防法》第六十条', ['AJJ']),
    m(
      'D5-XFDD-002',
      '公众聚集场所投入使用营业前消防安全检查',
      'Fire safety check before a public venue opens',
      '《消防法》第十五条、第五十八条',
      ['WGXJ'],
    ),
    m(
      'D5-XFDD-003',
      '消防产品质量检查',
      'Fire product quality inspection',
      '《消防法》第二十四条、第六十五条',
      ['ZJJ'],
    ),
    m(
      'D5-XFDD-004',
      '“三合一”场所消防检查',
      'Combined dwelling, storage and trading premises',
      '《消防法》第十九条、第六十一条',
      ['AJJ', 'GSJ'],
    ),
    m('D5-AJJ-001', '安全生产检查', 'Work safety inspection', '《安全生产法》第一百零一条', ['XFDD']),
    m(
      'D5-AJJ-002',
      '危险化学品经营许可检查',
      'Hazardous chemicals trading licence inspection',
      '《危险化学品安全管理条例》第七十七条',
      ['GAJ', 'XFDD'],
    ),
    m(
      'D5-AJJ-003',
      '烟花爆竹经营安全检查',
      'Fireworks retail safety inspection',
      '《烟花爆竹安全管理条例》第三十六条',
      ['GAJ'],
    ),
    m('D5-AJJ-004', '安全生产教育和培训检查', 'Work safety training inspection', '《安全生产法》第九十七条'),
    m(
      'D5-AJJ-005',
      '工贸企业粉尘防爆安全检查',
      'Dust explosion prevention inspection',
      '《工贸企业粉尘防爆安全规定》第三十条',
      ['XFDD'],
    ),
    m('D5-GAJ-001', '旅馆业治安管理检查', 'Hotel public order inspection', '《治安管理处罚法》第五十六条', [
      'XFDD',
    ]),
    m(
      'D5-GAJ-002',
      '民用爆炸物品安全检查',
      'Civil explosives safety inspection',
      '《民用爆炸物品安全管理条例》第四十四条',
      ['AJJ'],
    ),
    m(
      'D5-GAJ-003',
      '剧毒化学品购买使用检查',
      'Highly toxic chemicals purchase and use',
      '《危险化学品安全管理条例》第八十一条',
      ['AJJ'],
    ),
    m('D5-GAJ-004', '道路交通安全违法查处', 'Road traffic safety offences', '《道路交通安全法》第八十七条', [
      'JTJ',
    ]),
    m('D5-JTJ-001', '道路运输经营检查', 'Road transport business inspection', '《道路运输条例》第六十三条', [
      'GAJ',
    ]),
    m(
      'D5-JTJ-002',
      '机动车维修经营检查',
      'Motor vehicle repair business inspection',
      '《道路运输条例》第六十五条',
    ),
    m(
      'D5-JTJ-003',
      '道路危险货物运输检查',
      'Road transport of dangerous goods',
      '《道路危险货物运输管理规定》第五十六条',
      ['AJJ', 'GAJ'],
    ),
    m(
      'D5-JTJ-004',
      '巡游出租汽车经营检查',
      'Taxi business inspection',
      '《巡游出租汽车经营服务管理规定》第四十五条',
    ),
    m(
      'D5-JTJ-005',
      '擅自占用挖掘公路查处',
      'Unauthorised occupation or digging of highways',
      '《公路法》第七十六条',
      ['CGJ'],
    ),
    m(
      'D5-ZJJ-001',
      '特种设备使用安全检查',
      'Special equipment safety inspection',
      '《特种设备安全法》第八十三条',
      ['AJJ'],
    ),

    // 6 其他生产经营和市场流通 — other production, business and market circulation
    m(
      'D6-GSJ-001',
      '无照经营查处',
      'Trading without a business licence',
      '《无证无照经营查处办法》第十三条',
      ['JMZX'],
    ),
    m('D6-GSJ-002', '虚假宣传查处', 'False commercial publicity', '《反不正当竞争法》第二十条'),
    m('D6-GSJ-003', '虚假广告查处', 'False advertising', '《广告法》第五十五条', ['JMZX']),
    m('D6-GSJ-004', '商标侵权查处', 'Trademark infringement', '《商标法》第六十条'),
    m(
      'D6-GSJ-005',
      '企业公示信息抽查',
      'Spot checks of company disclosures',
      '《企业信息公示暂行条例》第十四条、第十八条',
    ),
    m('D6-GSJ-006', '传销查处', 'Pyramid selling', '《禁止传销条例》第二十四条', ['GAJ']),
    m(
      'D6-GSJ-007',
      '侵害消费者权益查处',
      'Infringement of consumer rights',
      '《消费者权益保护法》第五十六条',
      ['JMZX'],
    ),
    m('D6-GSJ-008', '商业贿赂查处', 'Commercial bribery', '《反不正当竞争法》第十九条'),
    m('D6-ZJJ-001', '产品质量监督抽查', 'Product quality spot checks', '《产品质量法》第十五条', ['GSJ']),
    m(
      'D6-ZJJ-002',
      '生产销售不合格产品查处',
      'Making or selling non-conforming products',
      '《产品质量法》第四十九条',
      ['GSJ'],
    ),
    m('D6-ZJJ-003', '计量器具使用检查', 'Use of measuring instruments', '《计量法》第二十七条', ['JMZX']),
    m(
      'D6-ZJJ-004',
      '工业产品生产许可证检查',
      'Industrial product production licence inspection',
      '《工业产品生产许可证管理条例》第四十五条',
    ),
    m(
      'D6-JMZX-001',
      '集贸市场计量监督检查',
      'Measurement supervision in market fairs',
      '《集贸市场计量监督管理办法》第十四条',
      ['ZJJ'],
    ),
    m(
      'D6-JMZX-002',
      '农产品批发市场质量安全检测检查',
      'Testing duties of farm produce wholesale markets',
      '《农产品质量安全法》第三十七条',
      ['SYJ', 'NYJ'],
    ),
    m('D6-FGJS-001', '价格违法行为查处', 'Price violations', '《价格法》第四十条', ['GSJ', 'JMZX']),
    m('D6-GSWJ-001', '发票使用管理检查', 'Invoice use inspection', '《发票管理办法》第三十五条', ['DSJ']),
    m('D6-GSWJ-002', '税务登记检查', 'Tax registration inspection', '《税收征收管理法》第六十条'),
    m('D6-DSJ-001', '纳税申报检查', 'Tax filing inspection', '《税收征收管理法》第六十二条', ['GSWJ']),
    m('D6-RSJ-001', '劳动保障监察', 'Labour protection inspection', '《劳动保障监察条例》第二十六条'),
    m('D6-RSJ-002', '使用童工查处', 'Use of child labour', '《禁止使用童工规定》第六条', ['GSJ', 'GAJ']),
    m(
      'D6-JXJ-001',
      '使用国家明令淘汰用能设备查处',
      'Use of banned energy-consuming equipment',
      '《节约能源法》第七十一条',
      ['ZJJ'],
    ),
  ],
};
