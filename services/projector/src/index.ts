/** @hub/projector: the read model schema, its readers' entry points, and the projector. */
export * from './read-model/schema.js';
export * from './read-model/open.js';
export * from './read-model/current.js';
