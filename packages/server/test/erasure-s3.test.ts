import { afterAll, beforeAll, beforeEach } from 'vitest';
import { useServer } from './harness.js';
import { erasureSuite } from './support/erasure-suite.js';
import { startS3 } from './support/s3.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

// Erasure with files on the S3 driver, against an S3 server started here.
const env: Record<string, string> = { WEBHOOKS_ALLOW_PRIVATE: 'true' };
let s3: Awaited<ReturnType<typeof startS3>>;
let receiver: WebhookReceiver;
beforeAll(async () => {
  s3 = await startS3();
  Object.assign(env, s3.env);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await s3.close();
});
beforeEach(() => receiver.reset());

const server = useServer({ env });

erasureSuite(server, 's3', () => receiver);
