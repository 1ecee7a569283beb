import { describe, expect, it } from 'vitest';
import { api, connectAgent, createAdmin, newClientId, startVisitorChat } from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('operations endpoints', () => {
  it('reports health, readiness and Prometheus metrics, and tags requests with an id', async () => {
    const s = server.current;
    expect((await api(s, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(s, 'GET', '/readyz')).body).toEqual({
      status: 'ready',
      database: true,
      files: { storage: 'local', reachable: true },
    });

    const admin = await createAdmin(s);
    await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: chat.started.conversation.id,
      content: 'counted',
      clientId: newClientId(),
    });
    const res = await fetch(`${s.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/parley_messages_sent_total\{sender="visitor",type="text"\} 2/);
    expect(text).toMatch(/parley_sockets\{namespace="\/visitor"\} 1/);
    expect(text).toMatch(/parley_sockets\{namespace="\/agent"\} 1/);
    expect(text).toMatch(
      /parley_http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/register",status="201"\} 1/,
    );
    expect(text).toMatch(/parley_message_delivery_seconds_count \d+/);
    expect(text).toMatch(/parley_nodejs_eventloop_lag_seconds/);
    expect(text).toMatch(/parley_db_query_duration_seconds_count/);

    const tagged = await api(s, 'GET', '/healthz', { headers: { 'x-request-id': 'lb-1234' } });
    expect(tagged.headers.get('x-request-id')).toBe('lb-1234');
    const hostile = await api(s, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id\twith tab' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
