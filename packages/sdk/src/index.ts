export * from './protocol/index.js';
export * from './client/index.js';
