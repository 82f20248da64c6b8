export * from './contract/errors.js';
export * from './contract/domain.js';
export * from './contract/events.js';
export * from './contract/methods.js';
export * from './contract/wire.js';
export * from './data/pricing.js';
export * from './contract/socket-client.js';
