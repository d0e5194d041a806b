/** @hub/testing: what tests share — a real nats-server harness, fixtures, given/when/then, scenarios. */
export * from './nats-harness.js';
export * from './fixtures.js';
export * from './given.js';
export * from './scenario/generate.js';
export * from './law-given.js';
export * from './nats-cluster-harness.js';
export * from './postgres-harness.js';
