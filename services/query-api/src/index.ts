/** @hub/query-api: the read side over HTTP, and the store-level queries behind it (for benches and tools). */
export * from './store/history.js';
export * from './store/businesses.js';
export * from './store/profile.js';
export * from './store/lists.js';
export * from './store/evaluation.js';
export * from './store/alerts.js';
export * from './store/records.js';
export * from './auth/roles.js';
export * from './auth/masking.js';
export * from './auth/authenticate.js';
export * from './auth/token-verifier.js';
export * from './access-log/access-log.js';
export * from './access-log/access-log-postgres.js';
export * from './read-model-source.js';
export { createQueryApi, ROUTES, type QueryApiOptions } from './http/app.js';
export { buildOpenApi } from './openapi/document.js';
export { loadQueryApiConfig, queryApiConfig, type QueryApiConfig } from './config.js';
