/**
 * `@parley/protocol/api-addresses`: what a client needs to call the REST API by operation, with
 * no zod in its bundle. At run time, where each operation lives (addresses.ts); as types only,
 * each operation's request and reply, read from its catalogue entry (types.ts).
 */
export * from './addresses.js';
export { apiTags, scopeTagOf, type ApiTag } from './tags.js';
export type {
  BytesBody,
  QueryValue,
  RouteBody,
  RouteParams,
  RouteQuery,
  RouteReplies,
  RouteReply,
  RouteRequest,
} from './types.js';
