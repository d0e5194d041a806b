/** Response schemas (see schemas/common.ts). */
export * from './schemas/common.js';
export * from './schemas/records.js';
export * from './schemas/businesses.js';
export * from './schemas/lists-and-figures.js';
export * from './schemas/alerts.js';
