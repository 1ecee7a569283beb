/**
 * This API's own description: the OpenAPI document and its reference page.
 */
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

const tag = 'Reference';

export const referenceRoutes = {
  getOpenApiDocument: {
    ...at.getOpenApiDocument,
    tag,
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    responses: { 200: { mediaType: 'application/json', description: 'An OpenAPI 3.1 document' } },
  },
  getApiReference: {
    ...at.getApiReference,
    tag,
    summary: 'This API as a readable page',
    auth: 'none',
    responses: { 200: { mediaType: 'text/html', description: 'The reference page' } },
  },
} as const satisfies RouteEntries;
