export * from './codes.js';
export * from './limits.js';
export * from './models.js';
export * from './http-schemas.js';
export * from './socket.js';
export * from './texts.js';
export * from './validate.js';
export * from './webhooks.js';
