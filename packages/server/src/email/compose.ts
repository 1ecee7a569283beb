import type { Message } from '@parley/protocol';
import type { Email } from '../queue/kinds.js';

/** Who the emails are from: MAIL_FROM's name (the team) and address. */
export type Sender = { name: string; address: string };

/** `Acme Support <support@acme.example>` or a bare address, as MAIL_FROM holds it. */
export function senderOf(mailFrom: string): Sender {
  const named = /^\s*"?([^"<]*?)"?\s*<([^>\s]+)>\s*$/.exec(mailFrom);
  if (named?.[2]) return { name: named[1]?.trim() || named[2], address: named[2] };
  return { name: mailFrom.trim(), address: mailFrom.trim() };
}

/** Everything a visitor or agent wrote is text: in HTML it is escaped, never interpreted. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A message as email text: what it says, and the files it sent by name. */
export const messageText = (m: Message) =>
  [m.content, ...m.attachments.map((a) => `[File: ${a.name}]`)].filter(Boolean).join('\n');

/** One line for a header: names are refused with line breaks at the edge; this is the backstop. */
export const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/** A visitor's reply is what they write above this line; everything under it is cut. */
export const REPLY_MARKER = '##- Reply above this line to answer -##';

const page = (body: string) =>
  `<!doctype html><html><body style="margin:0;padding:24px;background:#f4f4f5;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">` +
  `<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">${body}</div></body></html>`;
const paragraph = (text: string, style = '') =>
  `<p style="margin:0 0 16px;white-space:pre-wrap;${style}">${escapeHtml(text)}</p>`;
const muted = (text: string) => paragraph(text, 'color:#71717a;font-size:13px');

/** The thread the emails of one conversation belong to, so mail clients keep them together. */
export const threadId = (conversationId: string, domain: string) =>
  `<conversation-${conversationId}@${domain}>`;

type Thread = { conversationId: string; domain: string; replyTo: string | undefined };

function threadHeaders(t: Thread, messageKey: string): Partial<Email> {
  const root = threadId(t.conversationId, t.domain);
  return {
    messageId: `<conversation-${t.conversationId}-${messageKey}@${t.domain}>`,
    inReplyTo: root,
    references: root,
    ...(t.replyTo ? { replyTo: t.replyTo } : {}),
  };
}

const howToAnswer = (t: Thread, agent: string, site: string | null) =>
  t.replyTo
    ? `Reply to this email to answer ${agent}.`
    : `To answer, open the chat${site ? ` on ${site}` : ''} again.`;

/**
 * The agents' replies a visitor has not seen: one email for the lot, named for the agent and
 * the site, with a marker above which their reply is read.
 */
export function unseenRepliesEmail(o: {
  to: string;
  team: Sender;
  site: string | null;
  messages: Message[];
  thread: Thread;
}): Email {
  const agents = [...new Set(o.messages.map((m) => m.senderName ?? o.team.name))];
  const agent = agents.join(' and ');
  const place = o.site ? `${o.team.name} (${o.site})` : o.team.name;
  const intro = `${agent} from ${place} replied to your chat:`;
  const lines = o.messages.map((m) =>
    agents.length > 1 ? `${m.senderName ?? o.team.name}: ${messageText(m)}` : messageText(m),
  );
  const answer = howToAnswer(o.thread, agent, o.site);
  const marker = o.thread.replyTo ? `${REPLY_MARKER}\n\n` : '';
  return {
    to: o.to,
    fromName: oneLine(`${agents.length === 1 ? agent : o.team.name} at ${o.team.name}`),
    subject: oneLine(`${agent} replied to your chat with ${o.team.name}`),
    text: `${marker}${intro}\n\n${lines.join('\n\n')}\n\n${answer}\n`,
    html: page(
      (marker ? muted(REPLY_MARKER) : '') +
        paragraph(intro, 'font-weight:600') +
        lines.map((l) => paragraph(l, 'border-left:3px solid #d4d4d8;padding-left:12px')).join('') +
        muted(answer),
    ),
    ...threadHeaders(o.thread, `seq-${o.messages[o.messages.length - 1]?.seq ?? 0}`),
  };
}

/** The whole conversation as the visitor saw it (no notes), for them to keep. */
export function transcriptEmail(o: {
  to: string;
  team: Sender;
  visitorName: string | null;
  startedAt: Date;
  messages: Message[];
  thread: Thread;
}): Email {
  const who = (m: Message) =>
    m.sender === 'visitor'
      ? (o.visitorName ?? 'You')
      : m.sender === 'agent'
        ? (m.senderName ?? o.team.name)
        : '';
  const time = (m: Message) => new Date(m.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  const lines = o.messages.map((m) =>
    m.sender === 'system'
      ? `[${time(m)}] ${m.content}`
      : `[${time(m)}] ${who(m)}: ${messageText(m)}`,
  );
  const title = `Your chat with ${o.team.name} on ${o.startedAt.toISOString().slice(0, 10)}`;
  const footer = 'Times are in UTC.';
  return {
    to: o.to,
    fromName: oneLine(o.team.name),
    subject: oneLine(title),
    text: `${title}\n\n${lines.join('\n')}\n\n${footer}\n`,
    html: page(
      paragraph(title, 'font-weight:600') +
        o.messages
          .map((m, i) =>
            paragraph(lines[i] ?? '', m.sender === 'system' ? 'color:#71717a;font-size:13px' : ''),
          )
          .join('') +
        muted(footer),
    ),
    ...threadHeaders(o.thread, `transcript-${Date.now()}`),
  };
}

/**
 * The code that shows a visitor owns an address they typed (services/email-ownership.ts). It
 * goes to whatever address anyone types, so it is a fixed text: the code and the team's name
 * (MAIL_FROM, set by the admin), nothing a visitor wrote, no link, no reply address.
 */
export function ownershipCodeEmail(o: { to: string; team: Sender; code: string }): Email {
  const intro = `Your code is ${o.code}.`;
  const body = `Type it in the chat with ${o.team.name} to confirm this is your address; your transcript is sent once you do. It works for 30 minutes.`;
  const ignore =
    'If you did not ask for it, ignore this email: without the code, no chat is sent to you.';
  return {
    to: o.to,
    fromName: oneLine(o.team.name),
    subject: oneLine(`${o.code} is your code for ${o.team.name}`),
    text: `${intro}\n\n${body}\n\n${ignore}\n`,
    html: page(
      paragraph(intro, 'font-weight:600;font-size:18px') + paragraph(body) + muted(ignore),
    ),
  };
}

/** To the team: a conversation waits and nobody is answering it. */
export function waitingAlertEmail(o: {
  to: string;
  team: Sender;
  visitor: string;
  preview: string;
  link: string;
  agentsOnline: boolean;
}): Email {
  const why = o.agentsOnline ? 'is waiting in the queue' : 'came in while nobody was online';
  const intro = `A chat from ${o.visitor} ${why}.`;
  return {
    to: o.to,
    fromName: oneLine(`Parley for ${o.team.name}`),
    subject: oneLine(`Waiting: ${o.visitor}`),
    text: `${intro}\n\n${o.preview}\n\nOpen it: ${o.link}\n`,
    html: page(
      paragraph(intro, 'font-weight:600') +
        paragraph(o.preview, 'border-left:3px solid #d4d4d8;padding-left:12px') +
        `<p><a href="${escapeHtml(o.link)}" style="color:#2563eb">Open the conversation</a></p>`,
    ),
  };
}

/** A teammate mentioned the agent in a note (issue 37), for agents who asked for these. */
export function mentionEmail(o: {
  to: string;
  team: Sender;
  by: string;
  visitor: string;
  note: string;
  link: string;
}): Email {
  const intro = `${o.by} mentioned you in a note on the chat with ${o.visitor}.`;
  return {
    to: o.to,
    fromName: oneLine(`Parley for ${o.team.name}`),
    subject: oneLine(`${o.by} mentioned you`),
    text: `${intro}\n\n${o.note}\n\nOpen it: ${o.link}\n`,
    html: page(
      paragraph(intro, 'font-weight:600') +
        paragraph(o.note, 'border-left:3px solid #d4d4d8;padding-left:12px') +
        `<p><a href="${escapeHtml(o.link)}" style="color:#2563eb">Open the conversation</a></p>`,
    ),
  };
}

/** "Forgot password": the single-use link. */
export function passwordResetEmail(o: { to: string; team: Sender; name: string; link: string }) {
  const intro = `Hello ${o.name},`;
  const body =
    'someone (we hope you) asked to reset your Parley password. This link sets a new one; it works once, within an hour, and signs you out everywhere:';
  const ignore = 'If you did not ask, ignore this email: your password stays as it is.';
  return {
    to: o.to,
    fromName: oneLine(`Parley for ${o.team.name}`),
    subject: 'Reset your Parley password',
    text: `${intro}\n\n${body}\n\n${o.link}\n\n${ignore}\n`,
    html: page(
      paragraph(intro) +
        paragraph(body) +
        `<p><a href="${escapeHtml(o.link)}" style="color:#2563eb">Set a new password</a></p>` +
        muted(ignore),
    ),
  } satisfies Email;
}

/** An invitation to join the team: the link where they choose their password (7 days, once). */
export function invitationEmail(o: {
  to: string;
  team: Sender;
  name: string;
  invitedBy: string;
  link: string;
}) {
  const intro = `Hello ${o.name},`;
  const body = `${o.invitedBy} invites you to answer chats with ${o.team.name} on Parley. This link lets you choose your password; it works once, within 7 days:`;
  const ignore = 'If you did not expect this, ignore this email: nothing happens without the link.';
  return {
    to: o.to,
    fromName: oneLine(`Parley for ${o.team.name}`),
    subject: oneLine(`${o.invitedBy} invites you to ${o.team.name} on Parley`),
    text: `${intro}\n\n${body}\n\n${o.link}\n\n${ignore}\n`,
    html: page(
      paragraph(intro) +
        paragraph(body) +
        `<p><a href="${escapeHtml(o.link)}" style="color:#2563eb">Join the team</a></p>` +
        muted(ignore),
    ),
  } satisfies Email;
}
