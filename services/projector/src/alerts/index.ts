/** What readers (the query API) use of the alerts projection. */
export { presentAlertRow, type AlertView } from './present.js';
export { eventOfTimelineRow } from './timeline-events.js';
export { ALERT_DELIVERIES_FILE, alertDeliveriesPath } from './delivery.js';
export { matterCodesOf } from './writer.js';
export type { AlertsTable, AlertAgenciesTable, AlertStatus, JointStatus } from './schema.js';
