/**
 * Push notifications to agents' devices (issue 37, docs/push.md): `/api/push/*` for this
 * device's subscription, `/api/auth/me/notifications` for what each agent is told.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/** At most this many devices of one agent get pushes: the oldest goes when one more is added. */
export const MAX_PUSH_DEVICES = 10;

export const PushKeyReply = z.object({
  /** The server's VAPID public key (base64url, uncompressed P-256): `applicationServerKey`. */
  publicKey: z.string(),
});
export type PushKeyReply = z.infer<typeof PushKeyReply>;

/** base64url, as `PushSubscription.toJSON()` gives the keys. */
const Base64Url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, 'base64url');

/** What the browser's `PushSubscription.toJSON()` gives, as the dashboard sends it. */
export const PushSubscriptionBody = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  keys: z.object({
    /** The browser's P-256 public key: 65 bytes, 87 characters of base64url. */
    p256dh: Base64Url(80, 100),
    /** The auth secret: 16 bytes, 22 characters of base64url. */
    auth: Base64Url(20, 32),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** A device of the agent's that gets pushes. */
export const PushDevice = z.object({
  id: Id,
  /** The browser and system it was turned on in ("Chrome 131 on Android 14"). */
  device: z.string(),
  /** It is this browser's: the one asking. */
  thisDevice: z.boolean(),
  createdAt: Timestamp,
  lastPushedAt: Timestamp.nullable(),
});
export type PushDevice = z.infer<typeof PushDevice>;

export const PushDeviceReply = z.object({ device: PushDevice });
export type PushDeviceReply = z.infer<typeof PushDeviceReply>;

export const PushDevicesReply = z.object({ devices: z.array(PushDevice) });
export type PushDevicesReply = z.infer<typeof PushDevicesReply>;

export const PushTestReply = z.object({
  /** How many of your devices the test was sent to. */
  sent: z.int(),
});
export type PushTestReply = z.infer<typeof PushTestReply>;

/** What an agent is told by push (on each device they turn it on for), and by email. */
export const NotificationPreferences = z.object({
  /** A new chat waiting in a queue of theirs (a team of theirs, or every chat without teams). */
  queued: z.boolean(),
  /** A chat assigned or transferred to them (by routing or a teammate). */
  assigned: z.boolean(),
  /** A visitor's message in their chat while no dashboard of theirs is in view. */
  messages: z.boolean(),
  /** A teammate mentions them in a note. */
  mentions: z.boolean(),
  /** An email too when mentioned (when email is on). */
  mentionEmails: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const NotificationPreferencesBody = NotificationPreferences.partial().strict();
export type NotificationPreferencesBody = z.infer<typeof NotificationPreferencesBody>;

export const NotificationPreferencesReply = z.object({ preferences: NotificationPreferences });
export type NotificationPreferencesReply = z.infer<typeof NotificationPreferencesReply>;

/**
 * A push's payload, as the service worker reads it (decrypted): what the notification says,
 * which notification it replaces (`tag`: one per conversation) and where a tap leads.
 */
export type PushPayload = {
  title: string;
  body: string;
  /** One notification per conversation: a later push replaces it. */
  tag: string;
  /** The dashboard's path to open: `/conversations/<id>`. */
  url: string;
  /** Why: `queued`, `assigned`, `message`, `mention`, or `test`. */
  reason: string;
  /** Facts this push tells of (a burst of 4 messages is 4). */
  count: number;
  at: string;
};

const tag = 'Notifications';

export const notificationRoutes = {
  getPushKey: {
    ...at.getPushKey,
    tag,
    summary: "The server's VAPID public key, to subscribe a browser with",
    auth: 'agent',
    responses: { 200: PushKeyReply },
  },
  listPushDevices: {
    ...at.listPushDevices,
    tag,
    summary: 'Your devices that get push notifications',
    auth: 'agent',
    responses: { 200: PushDevicesReply },
  },
  subscribePush: {
    ...at.subscribePush,
    tag,
    summary: 'Turn on push notifications for this browser',
    description: `The body is the browser's \`PushSubscription.toJSON()\`. The subscription belongs to this sign-in: signing this device out, or ending its session, removes it. Subscribing the same browser again (the same endpoint) replaces it: 200. Only the browser push services' addresses are accepted (docs/push.md). An agent has at most ${MAX_PUSH_DEVICES} devices with push; the oldest goes. API tokens cannot subscribe.`,
    auth: 'agent',
    body: PushSubscriptionBody,
    responses: { 201: PushDeviceReply, 200: PushDeviceReply },
    errors: [403],
  },
  unsubscribePush: {
    ...at.unsubscribePush,
    tag,
    summary: 'Turn off push notifications for one of your devices',
    auth: 'agent',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  testPush: {
    ...at.testPush,
    tag,
    summary: 'Send a test notification to your devices',
    auth: 'agent',
    responses: { 200: PushTestReply },
    errors: [429],
  },
  getNotificationPreferences: {
    ...at.getNotificationPreferences,
    tag,
    summary: 'What you are notified of',
    auth: 'agent',
    responses: { 200: NotificationPreferencesReply },
  },
  updateNotificationPreferences: {
    ...at.updateNotificationPreferences,
    tag,
    summary: 'Change what you are notified of',
    auth: 'agent',
    body: NotificationPreferencesBody,
    responses: { 200: NotificationPreferencesReply },
  },
} as const satisfies RouteEntries;
