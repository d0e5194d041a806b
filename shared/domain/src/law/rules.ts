/**
 * Every legal rule the hub checks, with its article: one table, read by the deciders, the
 * alerts (legal basis in each alert) and docs/legal-rules.md.
 */
export const LEGAL_RULES = {
  NOTICE_MISSING: {
    article: '《行政处罚法》第四十四条、第六十二条',
    zh: '作出处罚决定前未告知拟处罚内容及陈述、申辩权',
    en: 'decision made without a prior notice (告知) of the proposed penalty and the right to state and defend',
    missing: 'penaltyNoticeServed',
  },
  HEARING_RIGHTS_NOT_NOTIFIED: {
    article: '《行政处罚法》第六十三条',
    zh: '应听证的处罚未告知听证权利',
    en: 'hearing-class penalty without notice of the right to a hearing',
    missing: 'penaltyNoticeServed.hearingRightsNotified',
  },
  HEARING_NOT_HELD: {
    article: '《行政处罚法》第六十三条、第六十四条、第六十五条',
    zh: '当事人要求听证，未举行听证即作出决定',
    en: 'a hearing was requested but the decision came before it was held',
    missing: 'hearingHeld',
  },
  LEGAL_REVIEW_MISSING: {
    article: '《行政处罚法》第五十八条',
    zh: '重大处罚决定前未经法制审核或审核未通过',
    en: 'major decision without an approving legal review (法制审核) before it',
    missing: 'legalReviewCompleted',
  },
  COLLECTIVE_DISCUSSION_MISSING: {
    article: '《行政处罚法》第五十七条第二款',
    zh: '重大或情节复杂的处罚决定未经集体讨论',
    en: 'major or complex decision without collective discussion (集体讨论)',
    missing: 'collectiveDiscussionHeld',
  },
  SERVICE_LATE: {
    article: '《行政处罚法》第六十一条、第八十五条',
    zh: '处罚决定书未在七个工作日内送达',
    en: 'decision not served within 7 working days',
    missing: 'decisionServed',
  },
  PUBLICATION_LATE: {
    article: '《行政处罚法》第四十八条；国办发〔2018〕118号',
    zh: '处罚决定未在七个工作日内公示',
    en: 'decision not published within 7 working days',
    missing: 'decisionPublished',
  },
  PAYMENT_BY_DECIDING_AGENCY: {
    article: '《行政处罚法》第六十七条',
    zh: '罚款由作出决定的机关自行收缴（缴罚分离）',
    en: 'payment reported by the deciding agency itself (缴罚分离)',
    missing: undefined,
  },
  PAYMENT_EXCEEDS_FINE: {
    article: '《行政处罚法》第六十七条',
    zh: '缴款金额超过处罚决定的罚没金额',
    en: 'payments exceed the amount decided',
    missing: undefined,
  },
  UNKNOWN_CASE: {
    article: '《行政处罚法》第五十四条',
    zh: '处罚程序步骤所属的案件未立案',
    en: 'a procedure step for a case the hub has no opening for',
    missing: 'penaltyCaseOpened',
  },
  UNKNOWN_DECISION: {
    article: '《行政处罚法》第六十七条',
    zh: '缴款或送达所指的处罚决定不存在',
    en: 'payment or service for a decision the hub does not know',
    missing: 'penaltyDecided',
  },
  LIMITATION_EXPIRED: {
    article: '《行政处罚法》第三十六条',
    zh: '违法行为超过追责时效（二年；危害生命健康安全、金融安全的五年）后立案',
    en: 'case opened after the limitation period (2 years; 5 where life, health or financial safety was harmed)',
    missing: undefined,
  },
  TRANSFER_DECISION_OVERDUE: {
    article: '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第五条',
    zh: '移送报告提出后三日内未作出批准或不批准移送的决定',
    en: 'no decision to transfer within 3 days of the report',
    missing: 'transferApproved',
  },
  HANDOVER_OVERDUE: {
    article: '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第五条',
    zh: '批准移送后二十四小时内未向公安机关移送',
    en: 'not handed over to police within 24 hours of approval',
    missing: 'caseTransferredToPolice',
  },
  POLICE_DECISION_OVERDUE: {
    article: '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第八条',
    zh: '公安机关自接受移送之日起三日内未作出立案或不予立案决定',
    en: 'police did not decide on filing within 3 days of receiving the transfer',
    missing: 'policeCaseFiled',
  },
  POLICE_DECISION_BEFORE_TRANSFER: {
    article: '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第八条',
    zh: '公安机关对未收到移送的案件作出决定',
    en: 'a police decision on a transfer the hub has not seen handed over',
    missing: 'caseTransferredToPolice',
  },
  TRANSFER_AFTER_REFUSAL: {
    article: '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第五条',
    zh: '移送未获批准（或未经批准）即向公安机关移送',
    en: 'handed over to police although the transfer was refused',
    missing: 'transferApproved',
  },
} as const;

export type LegalRuleCode = keyof typeof LEGAL_RULES;
