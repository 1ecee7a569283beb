/**
 * Every kind of background job and what its payload holds: the queue takes a job by its kind
 * (`ctx.jobs.enqueue('email', …)`), and each handler in jobs/ runs one kind. The kinds are
 * stored in the `jobs` table, so a name here never changes once released (migration 0010's
 * trigger queues `delete-file` itself). docs/architecture.md "Outlets and jobs".
 */
export type JobPayloads = {
  /** One email to send through SMTP (jobs/send-email.ts). */
  email: Email;
  /** The agents' replies a visitor has not seen, as one email. */
  'email-unseen-replies': { conversationId: string };
  /** The team's alert about a conversation nobody answers. */
  'alert-waiting': { conversationId: string };
  /** A visitor's reply by email, posted into their conversation. */
  'receive-email': InboundReply;
  /** "Forgot password": the lookup and the email with the link. */
  'send-password-reset': { email: string };
  /** One attempt at one webhook delivery. */
  'deliver-webhook': { deliveryId: string };
  /** A file's bytes, removed from storage after its row is gone. */
  'delete-file': { storageKey: string };
  /** A team's queue, served when its business hours open (services/routing.ts). */
  'route-queue': Record<string, never>;
  /** A turn of retention: expired data deleted in small batches (services/retention.ts). */
  retention: Record<string, never>;
  /**
   * What the agent is to be told about the conversation, pushed to their devices (services/
   * push.ts); no conversation: the test notification they asked for.
   */
  'send-push': { userId: string; conversationId: string | null };
  /** The hourly housekeeping. */
  'sweep-uploads': Record<string, never>;
};

export type JobKind = keyof JobPayloads;

/** One kind of job: its handler file (jobs/<kind>.ts) exports one of these. */
export type JobHandler<K extends JobKind = JobKind> = {
  kind: K;
  /** Tries in all before the job is failed for good (an admin may retry it then). */
  maxAttempts: number;
  /** Throws to be retried; what it throws is kept as the job's last error. */
  run(payload: JobPayloads[K]): Promise<void>;
};

/** A handler of any one kind, as the queue keeps them. */
export type AnyJobHandler = { [K in JobKind]: JobHandler<K> }[JobKind];

/**
 * One email as a job keeps it: plain text always, HTML (already escaped) when there is one, and
 * the headers that thread it (Message-ID, In-Reply-To, References) and route its answer
 * (Reply-To). `fromName` is shown with MAIL_FROM's address.
 */
export type Email = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  fromName?: string;
  replyTo?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
};

/** A visitor's reply by email, as the inbound listener stored it before it said 250. */
export type InboundReply = {
  conversationId: string;
  /** The email's Message-ID: the same email delivered twice makes one message. */
  messageId: string;
  /** What they wrote, quoted history and signature removed. */
  text: string;
  /** Names of attached files, which Parley does not keep. */
  attachments: string[];
  /**
   * The address in its From, which the listener checked is the visitor's. Absent only from
   * jobs stored before it was kept (issue 32).
   */
  from?: string;
};
