export * from './errors.js';
export * from './primitives.js';
export * from './entities.js';
export * from './rest.js';
export * from './socket.js';
export * from './settings.js';
export * from './widget-frame.js';
