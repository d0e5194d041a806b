/**
 * @hub/agency-gateway — what the three agency services share: HTTP ingest, validation, the
 * durable outbox, the relay to JetStream, and CSV imports. A service is a definition
 * (its departments and import mappings) plus `runAgencyServiceMain`.
 */
export * from './clock.js';
export * from './config.js';
export * from './service.js';
export * from './run.js';
export * from './ingest.js';
export * from './rules/event-rules.js';
export * from './outbox/outbox.js';
export * from './relay/relay.js';
export * from './relay/signer.js';
export * from './reconcile/index.js';
export * from './http/auth.js';
export * from './imports/mapping.js';
export * from './imports/import-csv.js';
export * from './imports/decode.js';
export * from './imports/finance.js';
// The NATS users and their permissions live in @hub/platform (the launcher generates them too).
export { natsAuthConfig, natsUsers, passwordVariable, type NatsUser } from '@hub/platform';
export * from './imports/kinds.js';
