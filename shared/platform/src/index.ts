/** @hub/platform: the adapters every service shares (codec, config, logging, NATS, HTTP, tokens). */
export * from './ids.js';
export * from './codec.js';
export * from './config.js';
export * from './logger.js';
export * from './nats/connect.js';
export * from './nats/auth.js';
export * from './nats/credentials.js';
export * from './nats/streams.js';
export * from './nats/server-process.js';
export * from './nats/cluster-process.js';
export * from './http/problem.js';
export * from './http/server.js';
export * from './auth/token-store.js';
export * from './hash.js';
export * from './auth/token-usage.js';
export * from './signing/signing.js';
export * from './signing/key-stream.js';
