import { afterAll, beforeAll } from 'vitest';
import { useServer } from './harness.js';
import { fileSuite } from './support/file-suite.js';
import { startS3 } from './support/s3.js';

// Files on the S3 driver, through the real @aws-sdk/client-s3 against an S3 server started here.
const env: Record<string, string> = {};
let s3: Awaited<ReturnType<typeof startS3>>;
beforeAll(async () => {
  s3 = await startS3();
  Object.assign(env, s3.env);
});
afterAll(() => s3.close());

const server = useServer({ env });

fileSuite(server, 's3');
