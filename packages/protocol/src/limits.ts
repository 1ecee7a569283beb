/**
 * The contract's plain values, with no zod: `@parley/protocol/limits`, for the front ends to
 * import without bundling the schemas (importing a value from the package's index runs every
 * schema module). The schemas use the same values; index.ts exports them too.
 */

/** The longest message text, in characters. */
export const MAX_MESSAGE_LENGTH = 5000;

/** Files one message may carry, uploaded first (`PUT /api/attachments/:id`). */
export const MAX_ATTACHMENTS = 10;

/** Teammates one note may mention. */
export const MAX_MENTIONS = 20;

/** The largest file size an admin may allow, in MB. */
export const MAX_FILE_MB = 50;

/** The shortest the audit log may be kept, in days (Settings → Retention). */
export const AUDIT_LOG_MIN_DAYS = 30;

/** The events a webhook endpoint may subscribe to. */
export const webhookEventTypes = [
  'conversation.created',
  'conversation.assigned',
  'conversation.closed',
  'message.created',
  'rating.given',
  'visitor.updated',
  'contact.erased',
] as const;
