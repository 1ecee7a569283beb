/**
 * The types of each operation's request and reply, read from its catalogue entry: types only,
 * so that `@parley/protocol/api-addresses` can offer them without bundling zod. Requests are
 * typed as they may be sent (`z.input`: a field with a default may be left out), replies as
 * they arrive (`z.output`).
 */
import type { z } from 'zod';
import type { ApiRouteMap } from '../api-routes.js';
import type { OperationId, PathParams } from './addresses.js';
import type { ApiBytes } from './route.js';

type Entry<K extends OperationId> = ApiRouteMap[K];

/** Bytes as a client may send them: a Blob or File (structurally), or a buffer. */
export type BytesBody = ArrayBuffer | ArrayBufferView | { arrayBuffer(): Promise<ArrayBuffer> };

/** A route's path parameters, e.g. `{ id: string }`; `never` when its path has none. */
export type RouteParams<K extends OperationId> =
  Entry<K> extends { params: infer S extends z.ZodType } ? z.input<S> : never;

/** A query string's value as a client may give it: the server coerces numbers from text. */
export type QueryValue = string | number | boolean;
/** A coerced field accepts anything (`unknown`) to zod; to a client, a plain value. */
type AsSent<Q> = { [F in keyof Q]: unknown extends Q[F] ? QueryValue : Q[F] };

/** A route's query, as it may be sent; `never` when it reads none. */
export type RouteQuery<K extends OperationId> =
  Entry<K> extends { query: infer S extends z.ZodType } ? AsSent<z.input<S>> : never;

/** A route's body, as it may be sent (bytes for an upload); `never` when it reads none. */
export type RouteBody<K extends OperationId> =
  Entry<K> extends { body: infer S }
    ? S extends z.ZodType
      ? z.input<S>
      : S extends ApiBytes
        ? BytesBody
        : never
    : never;

/** A reply as it arrives: JSON by its schema, `undefined` for none, `unknown` bytes or a page. */
type ReplyOf<R> = R extends z.ZodType ? z.output<R> : R extends null ? undefined : unknown;

/** A route's replies by success status: `{ 200: …, 201: … }`. */
export type RouteReplies<K extends OperationId> = {
  [S in keyof Entry<K>['responses']]: ReplyOf<Entry<K>['responses'][S]>;
};

/** A route's reply, whichever success status it comes with (`undefined` for a 204). */
export type RouteReply<K extends OperationId> = RouteReplies<K>[keyof RouteReplies<K>];

type IsNever<T> = [T] extends [never] ? true : false;
/** Whether `{}` is a valid value: a query of optional fields may be left out. */
type AllOptional<T> = object extends T ? true : Partial<T> extends T ? true : false;

/**
 * Everything a call of a route sends besides its address, each part present only where the
 * route reads it: `{ params: { id }, body: {...} }` (the params by the path's names, which
 * protocol's test holds equal to the route's `params` schema). Parts the route may do without (a query of
 * optional fields, an optional body) are optional.
 */
export type RouteRequest<K extends OperationId> = (keyof PathParams<K> extends never
  ? { params?: undefined }
  : { params: PathParams<K> }) &
  (IsNever<RouteQuery<K>> extends true
    ? { query?: undefined }
    : AllOptional<RouteQuery<K>> extends true
      ? { query?: RouteQuery<K> }
      : { query: RouteQuery<K> }) &
  (IsNever<RouteBody<K>> extends true
    ? { body?: undefined }
    : Entry<K> extends { optionalBody: true }
      ? { body?: RouteBody<K> }
      : { body: RouteBody<K> });
