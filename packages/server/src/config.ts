import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable the server reads, with its default. README lists the same. */
/**
 * The push services of the browsers agents use (docs/push.md): Chrome, Edge and Opera's (FCM),
 * Firefox's (Mozilla autopush), Safari's (Apple), and Windows' (WNS). A subscription elsewhere is
 * refused, so that an agent's request never makes the server call an address of their choosing.
 */
const DEFAULT_PUSH_SERVICES = [
  'https://fcm.googleapis.com',
  'https://*.push.services.mozilla.com',
  'https://*.push.apple.com',
  'https://*.notify.windows.com',
];

const Env = z.object({
  PORT: port.default(5000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  REDIS_URL: z.string().optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,50}$/)
    .default('parley'),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  PROOF_OF_WORK_COST: z.coerce.number().int().min(1).max(100_000).default(1_000),
  MAX_SOCKETS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(100),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(8_000),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z
    .string()
    .refine((v) => !/[\r\n]/.test(v), 'one line, such as Acme Support <support@acme.example>')
    .optional(),
  PUBLIC_URL: z
    .string()
    .refine(isExactOrigin, 'the address agents open Parley at, such as https://chat.acme.example')
    .optional(),
  INBOUND_SMTP_PORT: port.optional(),
  INBOUND_EMAIL_DOMAIN: z
    .string()
    .regex(/^(?=.{1,200}$)([a-z0-9-]+\.)+[a-z0-9-]+$/i, 'a domain such as reply.acme.example')
    .optional(),
  EMAIL_UNSEEN_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
  EMAIL_WAITING_ALERT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOKS_RETRY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  // Push notifications (issue 37, docs/push.md): the push services agents' browsers use. An
  // entry is an origin, and `*.` before a host allows its subdomains.
  PUSH_SERVICES: z
    .string()
    .default(DEFAULT_PUSH_SERVICES.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/i,
            'an origin such as https://fcm.googleapis.com or https://*.push.apple.com',
          ),
      ),
    ),
  /** At most one push per agent and conversation this often: a burst is one that updates. */
  PUSH_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  /** The contact the push services may write to about this server (VAPID `sub`). */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:.+@.+|https:\/\/.+)$/, 'mailto:someone@example.com or an https URL')
    .optional(),
  DASHBOARD_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().refine(isExactOrigin, 'not an origin such as https://app.example.com')),
    ),
});

/** `https://app.example.com` or `http://127.0.0.1:5173`, exactly as a browser sends it in Origin. */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Unset: a random secret is made once and kept in the database. */
  jwtSecret: string | undefined;
  logLevel: string;
  production: boolean;
  trustProxy: boolean;
  /** Set: Socket.io, presence and rate limits are shared through Redis (several instances). */
  redisUrl: string | undefined;
  /** Namespaces Parley's Redis keys, so deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** Set: /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Paths of a PEM certificate and key: the server speaks HTTPS itself. */
  tls: { cert: string; key: string } | undefined;
  /** Off only for load tests from one address. */
  rateLimits: boolean;
  /** Sockets one address may hold open at once, on all instances together; 0: no cap. */
  maxSocketsPerIp: number;
  /**
   * PBKDF2 rounds per try of the proof of work the offline form and transcripts ask
   * (services/proof-of-work.ts): a solve is ~2,000 tries, about a second of a phone at 1,000.
   */
  proofOfWorkCost: number;
  /** How long SIGTERM waits for in-flight requests before closing what is left. */
  shutdownTimeoutMs: number;
  /**
   * Origins of dashboards deployed apart from this server (a static host): REST with CORS and
   * credentials, agent sockets, and a refresh cookie sent across sites. Empty: Parley's own only.
   */
  dashboardOrigins: string[];
  /** PUBLIC_URL: where agents open Parley (links, the SSO redirect URI); unset: the request's. */
  publicUrl: string | undefined;
  /**
   * Set: files are kept in this S3-compatible bucket (several instances share it). Unset: on
   * local disk under `dataDir`/files. Credentials unset: the SDK's own chain (IAM role, env).
   */
  s3:
    | {
        bucket: string;
        region: string;
        endpoint: string | undefined;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      }
    | undefined;
  push: {
    /** The push services a subscription's endpoint may be at (origins; `*.` for subdomains). */
    services: string[];
    /** At most one push per agent and conversation this often (seconds). */
    intervalSeconds: number;
    /** VAPID's `sub`; unset: MAIL_FROM as mailto:, or PUBLIC_URL when https. */
    subject: string | undefined;
  };
  webhooks: {
    /** Endpoints on private, loopback and link-local addresses are allowed (a LAN, tests). */
    allowPrivate: boolean;
    /** A receiver slower than this is cut off, and the delivery tried again later. */
    timeoutMs: number;
    /** The first retry of a failed delivery waits this long, each next one twice as long. */
    retryDelayMs: number;
  };
  /** Set: Parley sends email through this SMTP server, from this address. Unset: no email. */
  mail:
    | {
        smtpUrl: string;
        from: string;
        /** Where agents open Parley: the links in emails. */
        publicUrl: string;
        /** An agent's reply the visitor has not seen this long is emailed to them. */
        unseenDelaySeconds: number;
        /** A conversation queued this long with nobody answering is emailed to the team. */
        waitingAlertSeconds: number;
        /** Set: replies come back to <token>@domain through Parley's own SMTP listener. */
        inbound: { port: number; domain: string } | undefined;
      }
    | undefined;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`METRICS_TOKEN=` in a compose file) means unset.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = Env.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT) !== Boolean(e.TLS_KEY)) {
    throw new Error('Invalid environment:\nTLS_CERT and TLS_KEY go together');
  }
  if (Boolean(e.SMTP_URL) !== Boolean(e.MAIL_FROM)) {
    throw new Error('Invalid environment:\nSMTP_URL and MAIL_FROM go together');
  }
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new Error('Invalid environment:\nS3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  }
  if ((e.INBOUND_SMTP_PORT === undefined) !== (e.INBOUND_EMAIL_DOMAIN === undefined)) {
    throw new Error('Invalid environment:\nINBOUND_SMTP_PORT and INBOUND_EMAIL_DOMAIN go together');
  }
  if (e.INBOUND_SMTP_PORT !== undefined && !e.SMTP_URL) {
    throw new Error('Invalid environment:\nINBOUND_SMTP_PORT needs SMTP_URL and MAIL_FROM');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    jwtSecret: e.JWT_SECRET,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL || undefined,
    redisPrefix: e.REDIS_PREFIX,
    metricsToken: e.METRICS_TOKEN,
    tls: e.TLS_CERT && e.TLS_KEY ? { cert: e.TLS_CERT, key: e.TLS_KEY } : undefined,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    rateLimits: e.RATE_LIMITS === 'on',
    maxSocketsPerIp: e.MAX_SOCKETS_PER_IP,
    proofOfWorkCost: e.PROOF_OF_WORK_COST,
    dashboardOrigins: e.DASHBOARD_ORIGINS,
    publicUrl: e.PUBLIC_URL,
    push: {
      services: e.PUSH_SERVICES,
      intervalSeconds: e.PUSH_INTERVAL_SECONDS,
      subject: e.VAPID_SUBJECT,
    },
    webhooks: {
      allowPrivate: e.WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
      retryDelayMs: e.WEBHOOKS_RETRY_DELAY_MS,
    },
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    mail:
      e.SMTP_URL && e.MAIL_FROM
        ? {
            smtpUrl: e.SMTP_URL,
            from: e.MAIL_FROM,
            publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
            unseenDelaySeconds: e.EMAIL_UNSEEN_DELAY_SECONDS,
            waitingAlertSeconds: e.EMAIL_WAITING_ALERT_SECONDS,
            inbound:
              e.INBOUND_SMTP_PORT !== undefined && e.INBOUND_EMAIL_DOMAIN
                ? { port: e.INBOUND_SMTP_PORT, domain: e.INBOUND_EMAIL_DOMAIN.toLowerCase() }
                : undefined,
          }
        : undefined,
  };
}
