// Each resource's catalogue entries and the schemas only its routes use.
export * from './auth.js';
export * from './conversations.js';
export * from './messages.js';
export * from './search.js';
export * from './visitors.js';
export * from './analytics.js';
export * from './canned-responses.js';
export * from './users.js';
export * from './contacts.js';
export * from './sites.js';
export * from './teams.js';
export * from './settings.js';
export * from './jobs.js';
export * from './webhooks.js';
export * from './api-tokens.js';
export * from './files.js';
export * from './reference.js';
