import type { TranscriptBody, TranscriptReply } from '@parley/protocol';
import { listMessages } from '../db/messages.js';
import { findVisitor, type VisitorRow } from '../db/visitors.js';
import { transcriptEmail } from '../email/compose.js';
import { threadOf } from '../email/mail.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Actor, VisitorActor } from './actor.js';
import type { Context } from '../context.js';
import {
  confirmOwnershipCode,
  enforceInTurn,
  ownsAddress,
  sendOwnershipCode,
} from './email-ownership.js';
import { EMAIL_OFF } from './jobs.js';
import { readableConversation } from './messages.js';
import { spendProof } from './proof-of-work.js';
import { limits, type Limit } from './rate-limit.js';
import { siteById, siteSender } from './sites.js';
import { patchMe } from './visitors.js';

/** Most messages a transcript carries: the newest, when a chat is longer. */
const MAX_TRANSCRIPT = 1000;

/**
 * The conversation, as its visitor saw it (no notes), emailed to the visitor's address.
 * - An agent sends it to the address on file: the agent vouches for it.
 * - A visitor asks in the widget (giving an address if none is on file; it is kept). It carries
 *   their own words, so it goes only to an address they have shown is theirs
 *   (services/email-ownership.ts); for any other, a code is emailed first (`codeSent`), and the
 *   transcript follows when they send the request again with it.
 * Capped per conversation, per address and in all, and per visitor when they ask; the same
 * transcript asked for again within minutes is answered as sent and not sent twice.
 */
export async function sendTranscript(
  ctx: Context,
  actor: Actor,
  conversationId: string,
  body: TranscriptBody,
  client: { ip: string | null },
): Promise<TranscriptReply> {
  const mail = ctx.email;
  if (!mail) throw conflict(EMAIL_OFF);
  const conversation = await readableConversation(ctx, actor, conversationId);
  const visitor = await findVisitor(ctx.db, conversation.visitorId);
  if (!visitor) throw notFound('Conversation');
  // A visitor's ask sends an email (a code or the transcript): a script must pay for each.
  // With `code`, the address was shown to be theirs by the email the proof paid for.
  if (actor.kind === 'visitor' && !body.code) await spendProof(ctx, body.proof);
  const to =
    actor.kind === 'visitor' ? await visitorAddress(ctx, actor, visitor, body) : visitor.email;
  if (!to) throw conflict('The visitor has not given an email address');
  if (actor.kind === 'visitor' && !ownsAddress(visitor, to)) {
    if (!body.code) {
      await sendOwnershipCode(ctx, mail, actor, to, client);
      return { to, codeSent: true };
    }
    await confirmOwnershipCode(ctx, actor, to, body.code);
  }
  // Narrowest first: the conversation, the visitor who asks, the inbox, everyone.
  const address = to.toLowerCase();
  const caps: Array<[string, Limit]> = [
    [`transcripts:${conversationId}`, limits.transcriptsPerConversation],
  ];
  if (actor.kind === 'visitor') {
    caps.push([`transcripts:visitor:${actor.id}`, limits.transcriptsPerVisitor]);
  }
  caps.push(
    [`transcripts:address:${address}`, limits.transcriptsPerAddress],
    ['transcripts:all', limits.transcriptsOverall],
  );
  await enforceInTurn(ctx, caps);
  // A double click, or a retry of a request that was answered: the same transcript, asked for
  // by the same person, goes once.
  const again = await ctx.rateLimiter.hit(
    `transcripts:same:${actor.id}:${conversationId}:${conversation.lastSeq}:${address}`,
    limits.sameTranscript,
  );
  if (again > 0) return { to };
  const messages = await listMessages(ctx.db, conversationId, {
    beforeSeq: conversation.lastSeq + 1,
    limit: MAX_TRANSCRIPT,
    includeNotes: false,
  });
  await ctx.jobs.enqueue(
    'email',
    transcriptEmail({
      to,
      team: siteSender(await siteById(ctx, conversation.siteId), mail.sender),
      visitorName: visitor.name,
      startedAt: conversation.createdAt,
      messages,
      thread: threadOf(mail, conversationId, to),
    }),
  );
  return { to };
}

/** The visitor's address on file, or the one they give now when there is none (it is kept). */
async function visitorAddress(
  ctx: Context,
  actor: VisitorActor,
  visitor: VisitorRow,
  body: TranscriptBody,
): Promise<string> {
  const onFile = visitor.email?.toLowerCase() ?? null;
  if (!body.email || body.email === onFile) {
    if (!onFile) throw conflict('Give your email address for the transcript');
    return onFile;
  }
  if (onFile) throw badRequest('Transcripts go to the address you gave before');
  await patchMe(ctx, actor, { email: body.email });
  return body.email;
}
