import { once } from 'node:events';
import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { auditLogCsv, listAuditLog } from '../../services/audit-log.js';
import type { Route } from '../route.js';

/** The audit log, for admins: read and downloaded; no route changes or deletes a record. */
export function auditRoutes(ctx: Context, route: Route): void {
  route(routes.listAuditEvents, ({ query, actor }) => listAuditLog(ctx, actor, query));

  // Streamed: each batch is written as it is read, waiting for the client when it is slow.
  route(routes.exportAuditEvents, async ({ query, actor }, res) => {
    const chunks = await auditLogCsv(ctx, actor, query);
    // The first batch is read before anything is sent: a failure then is a reply of its own,
    // not a download cut off after its headers.
    const first = await chunks.next();
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="parley-audit-log-${day}.csv"`,
      'Cache-Control': 'no-store',
    });
    if (!first.done && !res.write(first.value)) await once(res, 'drain');
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  });
}
