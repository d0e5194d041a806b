/** What the alert projection adds beside the read model's own presenters. */
export { ALERT_DELIVERIES_FILE, alertDeliveriesPath } from './delivery.js';
export { matterCodesOf } from './writer.js';
