/**
 * Every text the widget shows, in English: bundled with the app, and the shape of every other
 * language's file (each loads on demand). `{name}`-style markers are filled in by `fill`.
 * title, greeting and the two away messages are Parley's default settings: while an admin has
 * kept one of them, visitors read it in their own language.
 */
export const en = {
  title: 'Chat with us',
  greeting: 'Hi! How can we help you today?',
  awayMessage: "We're away right now. Leave a message and we'll get back to you by email.",
  awayNoEmail: "We're away right now. Leave a message and we'll answer here as soon as we're back.",
  awayLabel: "We're away · leave a message",
  inputPlaceholder: 'Type your message…',
  close: 'Close chat',
  unread: '{n} unread',
  reconnecting: 'Reconnecting…',
  away: 'Away',
  agentHere: '{name} is here to help',
  replyTime: 'We typically reply in a few minutes',
  leaveMessage: 'Leave a message',
  startChat: 'Start chat',
  thanksEmail: 'Thanks! We got your message and will reply to {email}.',
  thanksHere: "Thanks! We got your message and will answer here when we're back.",
  messages: 'Messages',
  sending: 'Sending…',
  waiting: 'Waiting for connection…',
  notSent: 'Not sent',
  typing: '{name} is typing…',
  message: 'Message',
  send: 'Send',
  name: 'Name',
  email: 'Email',
  optional: '{label} (optional)',
  choose: 'Choose…',
  failed: 'Something went wrong. Please try again.',
  ended: 'This chat has ended. How was it?',
  good: 'Good',
  bad: 'Bad',
  comment: 'Comment (optional)',
  commentPlaceholder: 'Add a comment (optional)',
  sendRating: 'Send rating',
  newChat: 'Start a new chat',
  thanksRating: 'Thanks for your feedback!',
  emailChat: 'Email me this chat',
  yourEmail: 'Your email',
  transcriptSent: 'The transcript is on its way to {email}.',
  transcriptFailed: 'Could not send it',
};

export type Texts = typeof en;
