/** @hub/read-model: the read model's schema, how to open it, the store the projector writes through, and shared presenters. */
export * from './schema.js';
export * from './alerts-schema.js';
export * from './legal-schema.js';
export * from './open.js';
export * from './current.js';
export * from './prepared.js';
export * from './store.js';
export * from './chain.js';
export * from './alert-present.js';
export * from './timeline-events.js';
export * from './postgres.js';
export * from './change-capture.js';
export * from './postgres-ship.js';
export * from './postgres-snapshot.js';
