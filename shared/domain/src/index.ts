/** @hub/domain: pure domain code — no I/O, no clock, no Node imports. */
export * from './uscc.js';
export * from './agencies.js';
export * from './event-types.js';
export * from './events.js';
export * from './subjects.js';
export * from './errors.js';
export * from './scopes.js';
export * from './catalogue/index.js';
export * from './officers/index.js';
export * from './coordination/index.js';
export * from './hash.js';
export * from './law/index.js';
export * from './event-rules.js';
export { compileSchema, GIVE_UP, type Compiled } from './fast-parse.js';
