import { build } from 'esbuild';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes, routes } from '../api-routes.js';
import type { CannedResponse, ConversationListItem } from '../entities.js';
import {
  apiAddresses,
  fillPath,
  routePath,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteReplies,
  type RouteReply,
  type RouteRequest,
} from './client.js';
import * as resources from './index.js';

describe('the addresses', () => {
  it('are all the dashboard bundles of them (and the tags, for token scopes): no zod', async () => {
    const bundled = await build({
      // As the dashboard imports it, through the package's exports.
      entryPoints: ['@parley/protocol/api-addresses'],
      bundle: true,
      write: false,
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    expect(Object.keys(bundled.metafile.inputs).sort()).toEqual([
      expect.stringMatching(/routes\/addresses\.ts$/),
      expect.stringMatching(/routes\/client\.ts$/),
      expect.stringMatching(/routes\/tags\.ts$/),
    ]);
  });

  it('are where each entry is registered, and each operation is in one resource file', () => {
    // Each resource file's entries: the exports that are maps of routes, not schemas.
    const isEntry = (value: unknown) =>
      typeof value === 'object' && value !== null && 'path' in value;
    const inFiles = Object.values(resources)
      .filter((value) => !(value instanceof z.ZodType))
      .flatMap((value) => Object.entries(value))
      .filter(([, entry]) => isEntry(entry))
      .map(([operationId]) => operationId);
    expect(inFiles.length).toBe(new Set(inFiles).size);
    expect(inFiles.sort()).toEqual(Object.keys(apiAddresses).sort());
    for (const route of apiRoutes) {
      const address = apiAddresses[route.operationId as keyof typeof apiAddresses];
      expect({ method: route.method, path: route.path }).toEqual(address);
    }
  });

  it('fill in a path, encoding each value, and refuse one left out', () => {
    expect(routePath('getWebhookDelivery', { id: 'a b', deliveryId: 'c/d' })).toBe(
      '/api/webhooks/a%20b/deliveries/c%2Fd',
    );
    expect(routePath('listUsers')).toBe('/api/users');
    expect(() => fillPath('/api/users/:id', {})).toThrow(':id');
  });

  it('type each call by its entry', () => {
    expectTypeOf<RouteReply<'listCannedResponses'>>().toEqualTypeOf<{
      items: CannedResponse[];
    }>();
    expectTypeOf<RouteReply<'getConversation'>>().toEqualTypeOf<{
      conversation: ConversationListItem;
    }>();
    expectTypeOf<RouteReply<'deleteConversation'>>().toEqualTypeOf<undefined>();
    expectTypeOf<keyof RouteReplies<'sendMessage'>>().toEqualTypeOf<200 | 201>();
    expectTypeOf<RouteParams<'getConversation'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RouteParams<'listUsers'>>().toBeNever();
    // Requests as they may be sent: a default makes a field optional, a query takes numbers.
    expectTypeOf<RouteBody<'createInvitation'>>()
      .toHaveProperty('role')
      .toEqualTypeOf<'agent' | 'admin' | undefined>();
    expectTypeOf<{ limit: 10 }>().toExtend<RouteQuery<'listConversations'>>();
    expectTypeOf<{ params: { id: string }; body: { status: 'closed' } }>().toExtend<
      RouteRequest<'updateConversation'>
    >();
    expectTypeOf<{ params: { id: string } }>().not.toExtend<RouteRequest<'updateConversation'>>();
    expectTypeOf<object>().toExtend<RouteRequest<'startVisitorSession'>>();
    // The literal types stay in each entry: what the server's route() reads.
    expectTypeOf(routes.getConversation.path).toEqualTypeOf<'/api/conversations/:id'>();
    expectTypeOf(routes.getConversation.auth).toEqualTypeOf<'agent'>();
  });
});
