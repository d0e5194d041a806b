export * from './scopes.js';
export * from './token-store.js';
