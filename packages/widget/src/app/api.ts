import type {
  AttachmentUrlReply,
  ErrorBody,
  Message,
  MessageListReply,
  ProofRequiredDetails,
  TranscriptBody,
  TranscriptReply,
  Visitor,
  VisitorPatchBody,
  VisitorSessionReply,
  WidgetConfig,
} from '@parley/protocol';
import { errorReason } from '@parley/protocol/error-reason';
import { proofPart } from './proof-part.js';

// REST calls to Parley. The iframe is served by Parley itself, so these are same-origin.
// Replies are typed, not parsed: they come from our own server, which builds them from the
// protocol's types, and zod in this bundle would cost a third of the app's size budget.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(path, { ...init, headers });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as Partial<ErrorBody> | null)?.error;
    const code = error?.code ?? 'internal';
    const message = error?.message ?? res.statusText;
    const reason = errorReason({ code, message, details: error?.details });
    throw new ApiError(res.status, code, reason, error?.details);
  }
  return body as T;
}

/** The site's key, as the loader put it in this page's address (none: the default site). */
const siteKey = () => new URLSearchParams(location.search).get('site') || undefined;

export const fetchConfig = (site = siteKey()) =>
  request<{ config: WidgetConfig }>(
    `/api/settings/widget/public${site ? `?site=${encodeURIComponent(site)}` : ''}`,
  ).then((r) => r.config);

/** Resumes the site's visitor of `visitorToken` when it is still valid, or makes a new one. */
export const openSession = (visitorToken: string | undefined, site = siteKey()) =>
  request<VisitorSessionReply>('/api/visitors/session', {
    method: 'POST',
    body: JSON.stringify({ site, visitorToken }),
  });

export const patchVisitor = (token: string, body: VisitorPatchBody) =>
  request<{ visitor: Visitor }>('/api/visitors/me', {
    method: 'PATCH',
    token,
    body: JSON.stringify(body),
  }).then((r) => r.visitor);

/** Up to 200 messages after `afterSeq`, for a conversation whose sync came back incomplete. */
export const fetchMessagesAfter = (token: string, conversationId: string, afterSeq: number) =>
  request<MessageListReply>(
    `/api/conversations/${encodeURIComponent(conversationId)}/messages?afterSeq=${afterSeq}&limit=200`,
    { token },
  ).then((r): Message[] => r.messages);

/** Marks the agents' messages up to `seq` as seen: no email is sent for them then. */
export const markRead = (token: string, conversationId: string, seq: number) =>
  request<null>('/api/messages/read', {
    method: 'POST',
    token,
    body: JSON.stringify({ conversationId, seq }),
  });

/**
 * Emails the conversation to the visitor; `email` only when none is on file. To an address the
 * visitor has not shown is theirs, a code goes first (`codeSent`); asked again with `code`, the
 * transcript follows.
 */
export async function requestTranscript(
  token: string,
  conversationId: string,
  body: TranscriptBody,
): Promise<TranscriptReply> {
  const send = (b: TranscriptBody) =>
    request<TranscriptReply>(
      `/api/conversations/${encodeURIComponent(conversationId)}/transcript`,
      {
        method: 'POST',
        token,
        body: JSON.stringify(b),
      },
    );
  try {
    return await send(body);
  } catch (error) {
    // An email sent on a visitor's word costs a proof of work (issue 36): solved, then again.
    const challenge = (error as ApiError).code === 'proof_required' && proofChallenge(error);
    if (!challenge) throw error;
    const { solveProof } = await proofPart.load();
    const proof = await solveProof(challenge);
    if (!proof) throw error;
    return send({ ...body, proof });
  }
}

const proofChallenge = (error: unknown) =>
  ((error as ApiError).details as Partial<ProofRequiredDetails> | undefined)?.challenge;

/** A short-lived signed link to a file of the visitor's conversation (or their own upload). */
export const fileLink = (token: string, id: string) =>
  request<AttachmentUrlReply>(`/api/attachments/${encodeURIComponent(id)}/url`, { token });
