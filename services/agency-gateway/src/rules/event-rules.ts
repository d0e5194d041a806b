/**
 * The rules an accepted record must keep (422 when broken) live in @hub/domain, shared with
 * the projector, which checks events from direct publishers by the same rules.
 */
export { checkEventRules, type RuleCode, type RuleContext, type RuleIssue } from '@hub/domain';
