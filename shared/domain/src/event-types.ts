/**
 * Event types: the payload fields of enforcement.v1.Envelope, in canonical JSON spelling
 * (lowerCamelCase). The subject token is the proto field name (snake_case).
 */
export const EVENT_TYPES = [
  'inspectionPlanned',
  'inspectionStarted',
  'inspectionCompleted',
  'inspectionCancelled',
  'penaltyCaseOpened',
  'penaltyNoticeServed',
  'statementRequested',
  'hearingHeld',
  'legalReviewCompleted',
  'collectiveDiscussionHeld',
  'penaltyDecided',
  'decisionServed',
  'paymentReceived',
  'decisionPublished',
  'decisionRevoked',
  'decisionChanged',
  'decisionReviewConcluded',
  'caseTransferredToPolice',
  'policeAcceptedTransfer',
  'policeDeclinedTransfer',
  'transferReportMade',
  'transferApproved',
  'transferRefused',
  'policeCaseFiled',
  'caseFilingSupervisionRequested',
  'complaintReceived',
  'conductComplaintReceived',
  'caseFileReviewed',
  'eventCorrected',
  'eventRetracted',
  'jointInspectionProposed',
  'jointInspectionAccepted',
  'jointInspectionDeclined',
  'catalogueVersionPublished',
  'alertAcknowledged',
  'alertResolved',
  'clockTicked',
  'calendarVersionPublished',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
export const isEventType = (s: string): s is EventType => TYPES.has(s);

/** `inspectionCompleted` → `inspection_completed`, the token used in subjects. */
export const eventTypeToken = (t: EventType): string => t.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const BY_TOKEN: ReadonlyMap<string, EventType> = new Map(EVENT_TYPES.map((t) => [eventTypeToken(t), t]));
export const eventTypeFromToken = (token: string): EventType | undefined => BY_TOKEN.get(token);

/** 中文名称, for people reading histories and errors. */
export const EVENT_TYPE_NAMES: Readonly<Record<EventType, string>> = {
  inspectionPlanned: '检查计划',
  inspectionStarted: '检查开始',
  inspectionCompleted: '检查完成',
  inspectionCancelled: '检查取消',
  penaltyCaseOpened: '处罚立案',
  penaltyNoticeServed: '处罚告知',
  statementRequested: '陈述申辩/听证申请',
  hearingHeld: '听证',
  legalReviewCompleted: '法制审核',
  collectiveDiscussionHeld: '集体讨论',
  penaltyDecided: '处罚决定',
  decisionServed: '决定书送达',
  paymentReceived: '罚款缴纳',
  decisionPublished: '处罚公示',
  decisionRevoked: '决定撤销',
  decisionChanged: '决定变更',
  decisionReviewConcluded: '复议诉讼结果',
  caseTransferredToPolice: '移送公安',
  policeAcceptedTransfer: '公安受理',
  policeDeclinedTransfer: '公安不予受理',
  transferReportMade: '移送报告',
  transferApproved: '批准移送',
  transferRefused: '不批准移送',
  policeCaseFiled: '公安立案',
  caseFilingSupervisionRequested: '立案监督',
  complaintReceived: '投诉举报',
  conductComplaintReceived: '执法行为投诉',
  caseFileReviewed: '案卷评查',
  eventCorrected: '更正',
  eventRetracted: '撤回',
  jointInspectionProposed: '联合检查建议',
  jointInspectionAccepted: '联合检查接受',
  jointInspectionDeclined: '联合检查拒绝',
  catalogueVersionPublished: '执法事项目录发布',
  alertAcknowledged: '预警确认',
  alertResolved: '预警处理',
  clockTicked: '时钟',
  calendarVersionPublished: '工作日历发布',
};

/**
 * Published by the committee's offices or the procuratorate directly to JetStream, never
 * through an agency service: catalogue and calendar versions, clock ticks, 案卷评查, conduct
 * complaints, 立案监督.
 */
export const OFFICE_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'catalogueVersionPublished',
  'calendarVersionPublished',
  'clockTicked',
  'caseFileReviewed',
  'conductComplaintReceived',
  'caseFilingSupervisionRequested',
]);
