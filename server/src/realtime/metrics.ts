import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one server instance, served at /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    openSockets: new Gauge({ name: 'livechat_open_sockets', help: 'Open graphql-ws sockets', registers: [registry] }),
    activeSubscriptions: new Gauge({
      name: 'livechat_active_subscriptions',
      help: 'Subscriptions being served (websocket and SSE)',
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'livechat_events_published_total',
      help: 'Events published to pub/sub',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsDelivered: new Counter({
      name: 'livechat_events_delivered_total',
      help: 'Events delivered to subscribers',
      labelNames: ['type'],
      registers: [registry],
    }),
    sqlStatements: new Counter({
      name: 'livechat_sql_statements_total',
      help: 'SQL statements sent to PostgreSQL',
      registers: [registry],
    }),
    deliveryLag: new Histogram({
      name: 'livechat_event_delivery_lag_seconds',
      help: 'From publishing an event to handing it to a subscriber',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
