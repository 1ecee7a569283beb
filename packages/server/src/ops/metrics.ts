import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one server. A registry per server (not prom-client's global one),
 * so that tests can run many servers in one process.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly messagesSent = new Counter({
    name: 'parley_messages_sent_total',
    help: 'Messages stored, by sender and type',
    labelNames: ['sender', 'type'] as const,
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: 'parley_message_delivery_seconds',
    help: 'From a message reaching the server to its broadcast: validation, commit, fan-out',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly dbQueryDuration = new Histogram({
    name: 'parley_db_query_duration_seconds',
    help: 'Database query duration',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly upkeepChecks = new Counter({
    name: 'parley_db_upkeep_checks_total',
    help: 'Checks of the embedded database for the vacuum and analyze autovacuum would do',
    registers: [this.registry],
  });
  readonly upkeepDuration = new Histogram({
    name: 'parley_db_upkeep_seconds',
    help: 'Vacuum and analyze of one table of the embedded database: how long it held it',
    labelNames: ['table', 'operation'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Set once the socket server exists: connected sockets by namespace. */
  countSockets: () => Record<string, number> = () => ({});
  readonly sockets = new Gauge({
    name: 'parley_sockets',
    help: 'Connected sockets by namespace, on this instance',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [namespace, n] of Object.entries(this.countSockets())) {
        this.sockets.set({ namespace }, n);
      }
    },
  });

  constructor() {
    // Includes nodejs_eventloop_lag_seconds and the process's memory and CPU.
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }

  /** Times every request, labelled by its route pattern (never the raw URL: ids would explode). */
  httpMiddleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'other';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
