/** Reconciliation of an outbox with the events stream (also used by `hub reconcile`). */
export * from './ledger.js';
export * from './stream-check.js';
export * from './reconciler.js';
export * from './metrics.js';
