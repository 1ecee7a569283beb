/**
 * The catalogue of Parley's REST API: every route the server answers under `/api`, and the signed
 * file downloads at `/files/:id`. The OpenAPI document (`GET /api/openapi.json`, see openapi.ts)
 * and the reference page (`GET /api/docs`) are generated from it at run time, so they cannot
 * drift from the schemas; the server's test (packages/server/test/openapi.test.ts) walks the
 * running app's router and fails while a route and this list disagree, either way.
 *
 * Adding a route:
 *   1. Give every input and reply its schema in protocol (rest.ts, settings.ts, …), exported
 *      through index.ts (or declared below): the export's name is what the document and
 *      generated clients call it.
 *   2. Add one entry below, in its tag's group: the path as Express writes it
 *      (`/api/tokens/:id`), `auth` as the route's `authenticate(ctx, …)` says, the schemas the
 *      handler parses (`params`, `query`, `body`) and what it replies with per status.
 *   3. List in `errors` the refusals particular to it (404, 409, 413, 415, 429, or 403 other than
 *      "admins only"); openapi.ts adds the ones every route of its kind has.
 * A new tag goes into `apiTags` too. Then check with
 * `npx vitest run packages/server/test/openapi.test.ts packages/protocol`, and read the result
 * at `/api/docs`.
 */
import { z } from 'zod';
import {
  AnalyticsAgents,
  AnalyticsOverview,
  AnalyticsQuery,
  AnalyticsTimeseries,
  AssignBody,
  AttachmentReply,
  AttachmentUrlReply,
  AuthReply,
  CannedResponseBody,
  CannedResponseListReply,
  CannedResponsePatchBody,
  CannedResponseReply,
  ConversationListQuery,
  ConversationListReply,
  ConversationPatchBody,
  ConversationReply,
  CreateUserBody,
  EmailSettingsReply,
  FileQuery,
  IdParams,
  JobListQuery,
  JobListReply,
  JobReply,
  LoginBody,
  MeReply,
  MessageListQuery,
  MessageListReply,
  MessageReply,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  ProfilePatchBody,
  RatingsQuery,
  RatingsReply,
  ReadBody,
  RegisterBody,
  SearchQuery,
  SearchReply,
  SendMessageBody,
  SetupReply,
  StartVisitorChatBody,
  TranscriptBody,
  TranscriptReply,
  UploadQuery,
  UserListReply,
  UserPatchBody,
  UserReply,
  VisitorListQuery,
  VisitorListReply,
  VisitorMeReply,
  VisitorPatchBody,
  VisitorReply,
  VisitorSessionBody,
  VisitorSessionReply,
} from './rest.js';
import {
  CustomAttributesBody,
  IdentifyBody,
  IdentitySettingsPatch,
  IdentitySettingsReply,
} from './identity.js';
import {
  ApiTokenListReply,
  ApiTokenReply,
  BotSettings,
  BotSettingsReply,
  CreateApiTokenBody,
  CreateApiTokenReply,
} from './api-tokens.js';
import {
  FileSettingsPatch,
  FileSettingsReply,
  WidgetConfig,
  WidgetSettingsPatch,
  WidgetSettingsReply,
} from './settings.js';
import {
  WebhookDeliveryListQuery,
  WebhookDeliveryListReply,
  WebhookDeliveryParams,
  WebhookDeliveryReply,
  WebhookEndpointBody,
  WebhookEndpointCreatedReply,
  WebhookEndpointListReply,
  WebhookEndpointPatch,
  WebhookEndpointReply,
  WebhookSecretReply,
} from './webhooks.js';

// Replies the server sends that rest.ts has no schema of their own for: named here so that the
// document can refer to them.
/** `GET /api/settings/widget/public`: the widget's look, before any visitor session exists. */
export const WidgetConfigReply = z.object({ config: WidgetConfig });
export type WidgetConfigReply = z.infer<typeof WidgetConfigReply>;
/** `202 {}`: accepted, with nothing to tell (a password reset says nothing about the address). */
export const AcceptedReply = z.object({});
export type AcceptedReply = z.infer<typeof AcceptedReply>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route, as the server's `authenticate(ctx, …)` decides:
 * - `none`: anyone, no token;
 * - `agent`: an agent's access token (or an API token);
 * - `admin`: the same, of an admin;
 * - `visitor`: a visitor token from `POST /api/visitors/session`;
 * - `agent-or-visitor`: either (the server's `anyone`);
 * - `refresh-cookie`: the httpOnly refresh cookie that sign-in sets.
 */
export type ApiAuth =
  'none' | 'agent' | 'admin' | 'visitor' | 'agent-or-visitor' | 'refresh-cookie';

/** A body that is not JSON: a file's bytes, a page. */
export type ApiBytes = { mediaType: string; description: string };

export type SuccessStatus = 200 | 201 | 202 | 204;
/** Refusals a route may list; their codes are those of `errorStatus` (errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

export const apiTags = {
  Auth: 'Agents sign in, out and manage their own account.',
  Conversations: 'Chats between a visitor and the team.',
  Messages: 'Sending and reading messages; the same rules as over sockets.',
  Search: 'Full-text search over conversations and messages.',
  Visitors: 'Visitor sessions (the widget) and the visitors agents see.',
  Analytics: 'Reports over a range of days.',
  'Canned responses': "The team's saved replies.",
  Users: 'The team: agents and admins.',
  Settings: 'The widget, files and email, as admins set them.',
  Jobs: 'Background work (email), for admins.',
  Webhooks: "Admins' endpoints that receive signed deliveries of events, and their logs.",
  'API tokens': 'Tokens for integrations and bots (docs/bots.md), for admins.',
  Files: 'Uploads and their short-lived download links.',
  Reference: 'This document and its reference page.',
} as const;
export type ApiTag = keyof typeof apiTags;

export type ApiRoute = {
  /** Unique, camelCase: generated clients name their functions after it. */
  operationId: string;
  method: HttpMethod;
  /** As Express writes it: `/api/conversations/:id`. */
  path: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  auth: ApiAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType | ApiBytes;
  /** The body may be left out: the route reads it as `{}`. */
  optionalBody?: true;
  /** Each success status and what it carries: a schema, bytes, or null for no body. */
  responses: Partial<Record<SuccessStatus, z.ZodType | ApiBytes | null>>;
  /** Refusals particular to this route, beyond those openapi.ts derives. */
  errors?: ErrorStatus[];
};

const bytes = (description: string): ApiBytes => ({
  mediaType: 'application/octet-stream',
  description,
});

export const apiRoutes: readonly ApiRoute[] = [
  // --- auth ---
  {
    operationId: 'register',
    method: 'post',
    path: '/api/auth/register',
    tag: 'Auth',
    summary: 'Create the first account, which becomes the admin',
    description:
      'Only while no account exists; after that, admins add agents (`POST /api/users`). Sets the refresh cookie.',
    auth: 'none',
    body: RegisterBody,
    responses: { 201: AuthReply },
    errors: [403, 429],
  },
  {
    operationId: 'login',
    method: 'post',
    path: '/api/auth/login',
    tag: 'Auth',
    summary: 'Sign in with email and password',
    description: 'Returns a 15-minute access token and sets the rotating refresh cookie.',
    auth: 'none',
    body: LoginBody,
    responses: { 200: AuthReply },
    errors: [401, 429],
  },
  {
    operationId: 'refresh',
    method: 'post',
    path: '/api/auth/refresh',
    tag: 'Auth',
    summary: 'Exchange the refresh cookie for a new access token',
    description: 'The cookie is rotated: the old one stops working.',
    auth: 'refresh-cookie',
    responses: { 200: AuthReply },
  },
  {
    operationId: 'logout',
    method: 'post',
    path: '/api/auth/logout',
    tag: 'Auth',
    summary: "End this session (the refresh cookie's)",
    auth: 'none',
    responses: { 204: null },
  },
  {
    operationId: 'getMe',
    method: 'get',
    path: '/api/auth/me',
    tag: 'Auth',
    summary: 'The signed-in agent',
    auth: 'agent',
    responses: { 200: MeReply },
  },
  {
    operationId: 'updateMe',
    method: 'patch',
    path: '/api/auth/me',
    tag: 'Auth',
    summary: 'Edit your own profile',
    auth: 'agent',
    body: ProfilePatchBody,
    responses: { 200: MeReply },
    errors: [409],
  },
  {
    operationId: 'changePassword',
    method: 'post',
    path: '/api/auth/password',
    tag: 'Auth',
    summary: 'Change your password',
    description: 'Ends every session of the agent and signs this one in again.',
    auth: 'agent',
    body: PasswordChangeBody,
    responses: { 200: AuthReply },
  },
  {
    operationId: 'getSetup',
    method: 'get',
    path: '/api/auth/setup',
    tag: 'Auth',
    summary: 'Whether Parley still needs its first account',
    auth: 'none',
    responses: { 200: SetupReply },
  },
  {
    operationId: 'requestPasswordReset',
    method: 'post',
    path: '/api/auth/password-reset',
    tag: 'Auth',
    summary: 'Email a password reset link',
    description: '202 whether the address has an account or not.',
    auth: 'none',
    body: PasswordResetRequestBody,
    responses: { 202: AcceptedReply },
    errors: [409, 429],
  },
  {
    operationId: 'confirmPasswordReset',
    method: 'post',
    path: '/api/auth/password-reset/confirm',
    tag: 'Auth',
    summary: "Set a new password with a reset link's token",
    auth: 'none',
    body: PasswordResetBody,
    responses: { 204: null },
    errors: [429],
  },

  // --- conversations ---
  {
    operationId: 'listConversations',
    method: 'get',
    path: '/api/conversations',
    tag: 'Conversations',
    summary: 'List conversations, newest activity first',
    auth: 'agent',
    query: ConversationListQuery,
    responses: { 200: ConversationListReply },
  },
  {
    operationId: 'getConversation',
    method: 'get',
    path: '/api/conversations/:id',
    tag: 'Conversations',
    summary: 'One conversation',
    auth: 'agent',
    params: IdParams,
    responses: { 200: ConversationReply },
    errors: [404],
  },
  {
    operationId: 'updateConversation',
    method: 'patch',
    path: '/api/conversations/:id',
    tag: 'Conversations',
    summary: 'Close or reopen a conversation, set its tags and notes',
    auth: 'agent',
    params: IdParams,
    body: ConversationPatchBody,
    responses: { 200: ConversationReply },
    errors: [404, 409],
  },
  {
    operationId: 'deleteConversation',
    method: 'delete',
    path: '/api/conversations/:id',
    tag: 'Conversations',
    summary: 'Delete a conversation and its messages',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  {
    operationId: 'assignConversation',
    method: 'post',
    path: '/api/conversations/:id/assign',
    tag: 'Conversations',
    summary: 'Take a conversation (admins: give it to anyone)',
    auth: 'agent',
    params: IdParams,
    body: AssignBody,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  {
    operationId: 'transferConversation',
    method: 'post',
    path: '/api/conversations/:id/transfer',
    tag: 'Conversations',
    summary: 'Hand a conversation over to another agent',
    auth: 'agent',
    params: IdParams,
    body: AssignBody,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  {
    operationId: 'handOverConversation',
    method: 'post',
    path: '/api/conversations/:id/handover',
    tag: 'Conversations',
    summary: 'Give the conversation to the team: routing finds a person for it',
    description:
      'What a bot calls when the visitor needs a person. Only the assignee or an admin may; the chat goes to the online agent with the most room, or waits in the queue.',
    auth: 'agent',
    params: IdParams,
    responses: { 200: ConversationReply },
    errors: [403, 404, 409],
  },
  {
    operationId: 'listMessages',
    method: 'get',
    path: '/api/conversations/:id/messages',
    tag: 'Conversations',
    summary: "A conversation's messages in seq order",
    description: 'Visitors read their own conversations, without notes.',
    auth: 'agent-or-visitor',
    params: IdParams,
    query: MessageListQuery,
    responses: { 200: MessageListReply },
    errors: [404],
  },
  {
    operationId: 'sendTranscript',
    method: 'post',
    path: '/api/conversations/:id/transcript',
    tag: 'Conversations',
    summary: 'Email the conversation to its visitor',
    auth: 'agent-or-visitor',
    params: IdParams,
    body: TranscriptBody,
    optionalBody: true,
    responses: { 202: TranscriptReply },
    errors: [404, 409, 429],
  },

  // --- messages ---
  {
    operationId: 'sendMessage',
    method: 'post',
    path: '/api/messages',
    tag: 'Messages',
    summary: 'Send a message (or an internal note)',
    description:
      '201 when stored now; 200 with the stored message when its `clientId` was sent before (a resend).',
    auth: 'agent-or-visitor',
    body: SendMessageBody,
    responses: { 200: MessageReply, 201: MessageReply },
    errors: [403, 404, 409, 429],
  },
  {
    operationId: 'markRead',
    method: 'post',
    path: '/api/messages/read',
    tag: 'Messages',
    summary: 'Mark the messages up to a seq as read',
    auth: 'agent-or-visitor',
    body: ReadBody,
    responses: { 204: null },
    errors: [404, 429],
  },

  // --- search ---
  {
    operationId: 'search',
    method: 'get',
    path: '/api/search',
    tag: 'Search',
    summary: 'Find messages and conversations, newest first',
    description:
      'Pages by `cursor`. One request reads a bounded part of history, so a page may hold fewer items than `limit`, even none, while `nextCursor` is set: go on with it until it is null (a word said often long ago and not lately is looked for back in time).',
    auth: 'agent',
    query: SearchQuery,
    responses: { 200: SearchReply },
  },

  // --- visitors ---
  {
    operationId: 'startVisitorSession',
    method: 'post',
    path: '/api/visitors/session',
    tag: 'Visitors',
    summary: 'Start or resume a visitor session (the widget calls it)',
    auth: 'none',
    body: VisitorSessionBody,
    optionalBody: true,
    responses: { 201: VisitorSessionReply },
    errors: [429],
  },
  {
    operationId: 'updateVisitorMe',
    method: 'patch',
    path: '/api/visitors/me',
    tag: 'Visitors',
    summary: "The visitor's own name, email and pre-chat answers",
    auth: 'visitor',
    body: VisitorPatchBody,
    responses: { 200: VisitorMeReply },
    errors: [404, 429],
  },
  {
    operationId: 'claimVisitorIdentity',
    method: 'post',
    path: '/api/visitors/me/identity',
    tag: 'Visitors',
    summary: "Who the site says the visitor is (the widget's setUser)",
    description:
      "With a hash that verifies (HMAC-SHA256 of the id with the identity secret), the session of that person's verified visitor, with their history on every device; without one, name and email are this visitor's contact details. A bad hash is refused with one 403, whoever the id is.",
    auth: 'visitor',
    body: IdentifyBody,
    responses: { 200: VisitorSessionReply },
    errors: [403, 404, 429],
  },
  {
    operationId: 'setVisitorAttributes',
    method: 'patch',
    path: '/api/visitors/me/attributes',
    tag: 'Visitors',
    summary: "The site's attributes of the visitor (the widget's setCustomAttributes)",
    auth: 'visitor',
    body: CustomAttributesBody,
    responses: { 200: VisitorMeReply },
    errors: [404, 429],
  },
  {
    operationId: 'listVisitors',
    method: 'get',
    path: '/api/visitors',
    tag: 'Visitors',
    summary: 'List visitors, most recently seen first',
    auth: 'agent',
    query: VisitorListQuery,
    responses: { 200: VisitorListReply },
  },
  {
    operationId: 'getVisitor',
    method: 'get',
    path: '/api/visitors/:id',
    tag: 'Visitors',
    summary: 'A visitor with their page views and conversations',
    auth: 'agent',
    params: IdParams,
    responses: { 200: VisitorReply },
    errors: [404],
  },
  {
    operationId: 'startChatWithVisitor',
    method: 'post',
    path: '/api/visitors/:id/conversations',
    tag: 'Visitors',
    summary: 'Start a chat with a browsing visitor',
    description:
      'The agent becomes the assignee. 201 when a chat was opened; 200 with the one the visitor already has.',
    auth: 'agent',
    params: IdParams,
    body: StartVisitorChatBody,
    responses: { 200: ConversationReply, 201: ConversationReply },
    errors: [404, 409],
  },

  // --- analytics ---
  {
    operationId: 'getAnalyticsOverview',
    method: 'get',
    path: '/api/analytics/overview',
    tag: 'Analytics',
    summary: 'Totals over the range',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsOverview },
  },
  {
    operationId: 'getAnalyticsTimeseries',
    method: 'get',
    path: '/api/analytics/timeseries',
    tag: 'Analytics',
    summary: 'Per day and per hour of day',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsTimeseries },
  },
  {
    operationId: 'getAnalyticsAgents',
    method: 'get',
    path: '/api/analytics/agents',
    tag: 'Analytics',
    summary: 'Per agent',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsAgents },
  },
  {
    operationId: 'listRatings',
    method: 'get',
    path: '/api/analytics/ratings',
    tag: 'Analytics',
    summary: 'Ratings given in the range, newest first',
    auth: 'agent',
    query: RatingsQuery,
    responses: { 200: RatingsReply },
  },

  // --- canned responses ---
  {
    operationId: 'listCannedResponses',
    method: 'get',
    path: '/api/canned-responses',
    tag: 'Canned responses',
    summary: 'All canned responses',
    auth: 'agent',
    responses: { 200: CannedResponseListReply },
  },
  {
    operationId: 'createCannedResponse',
    method: 'post',
    path: '/api/canned-responses',
    tag: 'Canned responses',
    summary: 'Add a canned response',
    auth: 'agent',
    body: CannedResponseBody,
    responses: { 201: CannedResponseReply },
    errors: [409],
  },
  {
    operationId: 'updateCannedResponse',
    method: 'patch',
    path: '/api/canned-responses/:id',
    tag: 'Canned responses',
    summary: 'Edit a canned response (its author or an admin)',
    auth: 'agent',
    params: IdParams,
    body: CannedResponsePatchBody,
    responses: { 200: CannedResponseReply },
    errors: [403, 404, 409],
  },
  {
    operationId: 'deleteCannedResponse',
    method: 'delete',
    path: '/api/canned-responses/:id',
    tag: 'Canned responses',
    summary: 'Delete a canned response (its author or an admin)',
    auth: 'agent',
    params: IdParams,
    responses: { 204: null },
    errors: [403, 404],
  },

  // --- users ---
  {
    operationId: 'listUsers',
    method: 'get',
    path: '/api/users',
    tag: 'Users',
    summary: 'The team',
    auth: 'agent',
    responses: { 200: UserListReply },
  },
  {
    operationId: 'createUser',
    method: 'post',
    path: '/api/users',
    tag: 'Users',
    summary: 'Add an agent or admin',
    auth: 'admin',
    body: CreateUserBody,
    responses: { 201: UserReply },
    errors: [409],
  },
  {
    operationId: 'updateUser',
    method: 'patch',
    path: '/api/users/:id',
    tag: 'Users',
    summary: "Change a user's name, role, capacity, status, or deactivate them",
    auth: 'admin',
    params: IdParams,
    body: UserPatchBody,
    responses: { 200: UserReply },
    errors: [404],
  },

  // --- settings ---
  {
    operationId: 'getWidgetConfig',
    method: 'get',
    path: '/api/settings/widget/public',
    tag: 'Settings',
    summary: "The widget's look, for the widget itself",
    auth: 'none',
    responses: { 200: WidgetConfigReply },
  },
  {
    operationId: 'getWidgetSettings',
    method: 'get',
    path: '/api/settings/widget',
    tag: 'Settings',
    summary: 'The widget settings',
    auth: 'agent',
    responses: { 200: WidgetSettingsReply },
  },
  {
    operationId: 'updateWidgetSettings',
    method: 'patch',
    path: '/api/settings/widget',
    tag: 'Settings',
    summary: 'Change the widget settings',
    auth: 'admin',
    body: WidgetSettingsPatch,
    responses: { 200: WidgetSettingsReply },
  },
  {
    operationId: 'getFileSettings',
    method: 'get',
    path: '/api/settings/files',
    tag: 'Settings',
    summary: 'What may be sent as a file',
    auth: 'agent',
    responses: { 200: FileSettingsReply },
  },
  {
    operationId: 'updateFileSettings',
    method: 'patch',
    path: '/api/settings/files',
    tag: 'Settings',
    summary: 'Change what may be sent as a file',
    auth: 'admin',
    body: FileSettingsPatch,
    responses: { 200: FileSettingsReply },
  },
  {
    operationId: 'getIdentitySettings',
    method: 'get',
    path: '/api/settings/identity',
    tag: 'Settings',
    summary: 'The identity secret and whether verification is required',
    auth: 'admin',
    responses: { 200: IdentitySettingsReply },
  },
  {
    operationId: 'updateIdentitySettings',
    method: 'patch',
    path: '/api/settings/identity',
    tag: 'Settings',
    summary: 'Require verified identities, or not',
    auth: 'admin',
    body: IdentitySettingsPatch,
    responses: { 200: IdentitySettingsReply },
  },
  {
    operationId: 'rotateIdentitySecret',
    method: 'post',
    path: '/api/settings/identity/rotate',
    tag: 'Settings',
    summary: 'A new identity secret: old hashes and verified sessions end',
    auth: 'admin',
    responses: { 200: IdentitySettingsReply },
  },
  {
    operationId: 'getEmailSettings',
    method: 'get',
    path: '/api/settings/email',
    tag: 'Settings',
    summary: 'Whether Parley can send email, and how',
    auth: 'admin',
    responses: { 200: EmailSettingsReply },
  },
  {
    operationId: 'sendTestEmail',
    method: 'post',
    path: '/api/settings/email/test',
    tag: 'Settings',
    summary: 'Email yourself to check the mail set-up',
    auth: 'admin',
    responses: { 202: JobReply },
    errors: [404, 409],
  },

  // --- jobs ---
  {
    operationId: 'listJobs',
    method: 'get',
    path: '/api/jobs',
    tag: 'Jobs',
    summary: 'Background jobs, newest first',
    auth: 'admin',
    query: JobListQuery,
    responses: { 200: JobListReply },
  },
  {
    operationId: 'retryJob',
    method: 'post',
    path: '/api/jobs/:id/retry',
    tag: 'Jobs',
    summary: 'Run a failed job again',
    auth: 'admin',
    params: IdParams,
    responses: { 200: JobReply },
    errors: [404, 409],
  },

  // --- webhooks ---
  {
    operationId: 'listWebhookEndpoints',
    method: 'get',
    path: '/api/webhooks',
    tag: 'Webhooks',
    summary: 'All webhook endpoints',
    auth: 'admin',
    responses: { 200: WebhookEndpointListReply },
  },
  {
    operationId: 'createWebhookEndpoint',
    method: 'post',
    path: '/api/webhooks',
    tag: 'Webhooks',
    summary: 'Add an endpoint; the reply carries its signing secret',
    auth: 'admin',
    body: WebhookEndpointBody,
    responses: { 201: WebhookEndpointCreatedReply },
    errors: [409],
  },
  {
    operationId: 'getWebhookEndpoint',
    method: 'get',
    path: '/api/webhooks/:id',
    tag: 'Webhooks',
    summary: 'One endpoint',
    auth: 'admin',
    params: IdParams,
    responses: { 200: WebhookEndpointReply },
    errors: [404],
  },
  {
    operationId: 'updateWebhookEndpoint',
    method: 'patch',
    path: '/api/webhooks/:id',
    tag: 'Webhooks',
    summary: "Change an endpoint's URL, events, or turn it on or off",
    auth: 'admin',
    params: IdParams,
    body: WebhookEndpointPatch,
    responses: { 200: WebhookEndpointReply },
    errors: [404],
  },
  {
    operationId: 'deleteWebhookEndpoint',
    method: 'delete',
    path: '/api/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Delete an endpoint and its delivery log',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  {
    operationId: 'getWebhookSecret',
    method: 'get',
    path: '/api/webhooks/:id/secret',
    tag: 'Webhooks',
    summary: "An endpoint's signing secret",
    auth: 'admin',
    params: IdParams,
    responses: { 200: WebhookSecretReply },
    errors: [404],
  },
  {
    operationId: 'rotateWebhookSecret',
    method: 'post',
    path: '/api/webhooks/:id/rotate-secret',
    tag: 'Webhooks',
    summary: 'Replace the signing secret; the old one stops at once',
    auth: 'admin',
    params: IdParams,
    responses: { 200: WebhookSecretReply },
    errors: [404],
  },
  {
    operationId: 'sendTestWebhook',
    method: 'post',
    path: '/api/webhooks/:id/test',
    tag: 'Webhooks',
    summary: 'Send a `ping` delivery to the endpoint',
    auth: 'admin',
    params: IdParams,
    responses: { 202: WebhookDeliveryReply },
    errors: [404],
  },
  {
    operationId: 'listWebhookDeliveries',
    method: 'get',
    path: '/api/webhooks/:id/deliveries',
    tag: 'Webhooks',
    summary: "An endpoint's deliveries, newest first",
    auth: 'admin',
    params: IdParams,
    query: WebhookDeliveryListQuery,
    responses: { 200: WebhookDeliveryListReply },
    errors: [404],
  },
  {
    operationId: 'retryWebhookDelivery',
    method: 'post',
    path: '/api/webhooks/:id/deliveries/:deliveryId/retry',
    tag: 'Webhooks',
    summary: 'Send a failed delivery again',
    auth: 'admin',
    params: WebhookDeliveryParams,
    responses: { 200: WebhookDeliveryReply },
    errors: [404, 409],
  },

  // --- API tokens and bots ---
  {
    operationId: 'listApiTokens',
    method: 'get',
    path: '/api/tokens',
    tag: 'API tokens',
    summary: 'Every API token, revoked ones too, without secrets',
    auth: 'admin',
    responses: { 200: ApiTokenListReply },
  },
  {
    operationId: 'createApiToken',
    method: 'post',
    path: '/api/tokens',
    tag: 'API tokens',
    summary: 'Create a token, acting as you or as a new bot; the secret is in this reply only',
    auth: 'admin',
    body: CreateApiTokenBody,
    responses: { 201: CreateApiTokenReply },
  },
  {
    operationId: 'revokeApiToken',
    method: 'delete',
    path: '/api/tokens/:id',
    tag: 'API tokens',
    summary: 'Revoke a token: refused at once on every instance, its sockets closed',
    auth: 'admin',
    params: IdParams,
    responses: { 200: ApiTokenReply },
    errors: [404],
  },
  {
    operationId: 'getBotSettings',
    method: 'get',
    path: '/api/bots/settings',
    tag: 'API tokens',
    summary: 'The bot that answers new conversations first, if any',
    auth: 'admin',
    responses: { 200: BotSettingsReply },
  },
  {
    operationId: 'putBotSettings',
    method: 'put',
    path: '/api/bots/settings',
    tag: 'API tokens',
    summary: 'Set the bot that answers new conversations first, or none',
    auth: 'admin',
    body: BotSettings,
    responses: { 200: BotSettingsReply },
  },

  // --- files ---
  {
    operationId: 'uploadAttachment',
    method: 'put',
    path: '/api/attachments/:id',
    tag: 'Files',
    summary: "Upload a file's bytes under an id of the client's choosing",
    description:
      'The type is read from the bytes. 201 when stored now; 200 for a retry of the same upload. Then send a message with its id in `attachmentIds`.',
    auth: 'agent-or-visitor',
    params: IdParams,
    query: UploadQuery,
    body: bytes("The file's bytes"),
    responses: { 200: AttachmentReply, 201: AttachmentReply },
    errors: [409, 413, 415, 429],
  },
  {
    operationId: 'getAttachmentUrl',
    method: 'get',
    path: '/api/attachments/:id/url',
    tag: 'Files',
    summary: 'A short-lived signed link to download a file',
    auth: 'agent-or-visitor',
    params: IdParams,
    responses: { 200: AttachmentUrlReply },
    errors: [404],
  },
  {
    operationId: 'downloadFile',
    method: 'get',
    path: '/files/:id',
    tag: 'Files',
    summary: "A file's bytes, through a signed link",
    description:
      'The link (from `GET /api/attachments/{id}/url`) is the permission. Images are shown inline; anything else is a download.',
    auth: 'none',
    params: IdParams,
    query: FileQuery,
    responses: { 200: bytes("The file's bytes, with its type and name in the headers") },
    errors: [403, 404],
  },

  // --- reference ---
  {
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Reference',
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    responses: { 200: { mediaType: 'application/json', description: 'An OpenAPI 3.1 document' } },
  },
  {
    operationId: 'getApiReference',
    method: 'get',
    path: '/api/docs',
    tag: 'Reference',
    summary: 'This API as a readable page',
    auth: 'none',
    responses: { 200: { mediaType: 'text/html', description: 'The reference page' } },
  },
];
