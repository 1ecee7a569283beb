import type { ApiAuth, ApiBytes, RouteEntry, SuccessStatus } from '@parley/protocol/api-routes';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { Context } from '../context.js';
import type { Actor, AgentActor, VisitorActor } from '../services/actor.js';
import { enforce, limits } from '../services/rate-limit.js';
import { actorFor, authenticate } from './auth.js';
import { parse } from './validate.js';

/** Who the handler acts for, as the entry's `auth` admits: none for a public route. */
type ActorOf<A extends ApiAuth> = A extends 'agent' | 'admin'
  ? AgentActor
  : A extends 'visitor'
    ? VisitorActor
    : A extends 'agent-or-visitor'
      ? Actor
      : undefined;

/** What a schema gives once parsed; `undefined` where the entry has none. */
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A handler's input: the request parsed by the entry's schemas, and who asks. */
export type RouteInput<R extends RouteEntry> = {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  /** The parsed JSON body; `undefined` for a body of bytes, which the handler reads itself. */
  body: Parsed<R['body']>;
  actor: ActorOf<R['auth']>;
  req: Request;
};

/**
 * What a handler returns at a status: the reply's body as its schema types it; nothing for a
 * 204; nothing for bytes or a page, which the handler has sent itself through `res`.
 */
type SentAt<Reply> = Reply extends z.ZodType ? z.output<Reply> : void;
type Statuses<R extends RouteEntry> = keyof R['responses'] & SuccessStatus;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** The statuses a handler must choose between; none when the route has one. */
type Choices<R extends RouteEntry> = true extends IsUnion<Statuses<R>> ? Statuses<R> : never;

/**
 * A handler's result. A route with one success status returns its body; one with several says
 * which: `{ status: 201, body }`, the status one of the entry's (`S` is inferred from the
 * handler, so that `created ? 201 : 200` stays a pair of statuses rather than a number).
 */
export type RouteResult<R extends RouteEntry, S extends Choices<R> = Choices<R>> =
  | ([Choices<R>] extends [never] ? SentAt<R['responses'][Statuses<R>]> : never)
  | { status: S; body: SentAt<R['responses'][S]> };

export type RouteHandler<R extends RouteEntry, S extends Choices<R> = Choices<R>> = (
  input: RouteInput<R>,
  res: Response,
) => Promise<RouteResult<R, S>>;

/** Registers a catalogue route's handler; see `routeOn`. */
export type Route = <R extends RouteEntry, const S extends Choices<R> = Choices<R>>(
  entry: R,
  handler: RouteHandler<R, S>,
) => void;

/** A schema, as opposed to bytes (`{ mediaType, description }`) or no body (null). */
const isSchema = (body: z.ZodType | ApiBytes | null | undefined): body is z.ZodType =>
  typeof body === 'object' && body !== null && !('mediaType' in body);

/**
 * Registers handlers on `router` from their catalogue entries (protocol's api-routes.ts), so a
 * handler and its entry cannot disagree: the method and path are the entry's (`router` is
 * mounted at `mountedAt`, which is cut from the path), its `auth` is applied by `authenticate`,
 * the params, query and body are parsed by its schemas before the handler runs, and the
 * handler's reply is typed by the entry's success schema and sent with its status.
 *
 *   const route = routeOn(ctx, router);
 *   route(routes.updateCannedResponse, async ({ params, body, actor }) => ({
 *     cannedResponse: await patchCannedResponse(ctx, actor, params.id, body),
 *   }));
 */
export function routeOn(ctx: Context, router: Router, mountedAt: '/api' | '' = '/api'): Route {
  return (entry, handler) => {
    if (!entry.path.startsWith(`${mountedAt}/`)) {
      throw new Error(`${entry.path} is not under ${mountedAt}/`);
    }
    const statuses = Object.keys(entry.responses).map(Number);
    const [status] = statuses;
    if (status === undefined) throw new Error(`${entry.path} has no success reply`);
    const { params, query, body } = entry;

    const dispatch = async (req: Request, res: Response) => {
      const input = {
        params: params && parse(params, req.params),
        query: query && parse(query, req.query),
        body: isSchema(body)
          ? parse(body, entry.optionalBody ? (req.body ?? {}) : req.body)
          : undefined,
        actor: actorFor(entry.auth, res),
        req,
      };
      // Admins' changes and reveals, once well-formed, have a pace of their own: a stolen admin
      // session or token cannot sweep settings, secrets and people at script speed (issue 36).
      if (entry.auth === 'admin' && (entry.method !== 'get' || entry.revealsSecret)) {
        const key = `admin-changes:${input.actor?.id ?? ''}`;
        await enforce(ctx.rateLimiter, [[key, limits.adminChangesPerActor]]);
      }
      // Each part is its schema's output and the actor is of the kind `auth` admits: what
      // RouteInput says, though the compiler cannot follow it through the generic entry.
      const result: unknown = await handler(input as RouteInput<typeof entry>, res);
      if (statuses.length === 1) return send(res, status, entry.responses, result);
      if (typeof result !== 'object' || result === null || !('status' in result)) {
        throw new Error(`${entry.path} replies with several statuses: say which`);
      }
      const sent = Number(result.status);
      if (!statuses.includes(sent)) throw new Error(`${entry.path} does not reply ${sent}`);
      send(res, sent, entry.responses, 'body' in result ? result.body : undefined);
    };
    // Named for the route, in stack traces and for openapi.test.ts, which checks that every
    // catalogued route is served by the handler registered from its entry.
    Object.defineProperty(dispatch, 'name', {
      value: `route ${entry.method.toUpperCase()} ${entry.path}`,
    });
    router[entry.method](
      entry.path.slice(mountedAt.length),
      authenticate(ctx, entry.auth, entry),
      dispatch,
    );
  };
}

/** Sends a JSON reply or an empty one; bytes and pages have been sent by the handler. */
function send(res: Response, status: number, replies: RouteEntry['responses'], body: unknown) {
  const reply = Object.entries(replies).find(([at]) => Number(at) === status)?.[1];
  if (reply === null) res.status(status).end();
  else if (isSchema(reply)) res.status(status).json(body);
}
