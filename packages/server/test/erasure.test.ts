import { afterAll, beforeAll, beforeEach } from 'vitest';
import { useServer } from './harness.js';
import { erasureSuite } from './support/erasure-suite.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

// Erasure with files on the default driver (local disk under DATA_DIR), and a real webhook
// receiver started here.
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const server = useServer({
  env: { DATA_DIR: `/tmp/parley-erasure-test-${process.pid}`, WEBHOOKS_ALLOW_PRIVATE: 'true' },
});

erasureSuite(server, 'local', () => receiver);
