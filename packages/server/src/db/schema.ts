// The database's tables (drizzle-kit generates the migrations from them), by area.
export * from './schema/columns.js';
export * from './schema/people.js';
export * from './schema/chats.js';
export * from './schema/workspace.js';
export * from './schema/teams.js';
export * from './schema/sites.js';
export * from './schema/bans.js';
export * from './schema/push.js';
