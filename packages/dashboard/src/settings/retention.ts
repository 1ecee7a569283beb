import type { RetentionSettings } from '@parley/protocol';
import { AUDIT_LOG_MIN_DAYS } from '@parley/protocol/limits';

export type RetentionKey = keyof RetentionSettings;

/**
 * Each period an admin sets, in the order shown, with what is deleted when it ends. `forever`:
 * it may be left unset (null), and then nothing of it is ever deleted.
 */
export const retentionPeriods: ReadonlyArray<{
  key: RetentionKey;
  label: string;
  deletes: string;
  forever: boolean;
  /** The fewest days it may be (the audit log: a month). */
  min: number;
  max: number;
}> = [
  {
    key: 'closedConversationDays',
    label: 'Closed conversations',
    deletes:
      'Counted from when a chat closed: its messages, files, notes and tags are deleted; its times, site, team, agent and rating stay for the reports.',
    forever: true,
    min: 1,
    max: 36500,
  },
  {
    key: 'idleVisitorDays',
    label: 'Idle visitors',
    deletes:
      'A visitor not seen for this long with no conversation left is deleted with the pages they visited; one whose conversations all expired keeps no name, email or attributes.',
    forever: true,
    min: 1,
    max: 36500,
  },
  {
    key: 'webhookLogDays',
    label: 'Webhook delivery log',
    deletes: 'Each event sent to your endpoints, with their answers.',
    forever: false,
    min: 1,
    max: 3650,
  },
  {
    key: 'doneJobDays',
    label: 'Finished background jobs',
    deletes: 'Emails sent, files deleted and other finished work, kept to look at.',
    forever: false,
    min: 1,
    max: 3650,
  },
  {
    key: 'auditLogDays',
    label: 'Audit log',
    deletes: `Who signed in and changed what (Settings → Audit log). At least ${AUDIT_LOG_MIN_DAYS} days: it is what an incident is looked into with.`,
    forever: false,
    min: AUDIT_LOG_MIN_DAYS,
    max: 36500,
  },
];

/** "kept forever", "1 day", "30 days". */
export const periodInWords = (days: number | null): string =>
  days === null ? 'kept forever' : `${days} ${days === 1 ? 'day' : 'days'}`;

/**
 * The periods made shorter by a change, as "Closed conversations: kept forever → 30 days":
 * what the admin confirms before saving, since what is older than the new period is deleted
 * at the next run of the retention job, which saving starts.
 */
export function shortenedPeriods(saved: RetentionSettings, next: RetentionSettings): string[] {
  return retentionPeriods.flatMap(({ key, label }) => {
    const before = saved[key];
    const after = next[key];
    const shorter = after !== null && (before === null || after < before);
    return shorter ? [`${label}: ${periodInWords(before)} → ${periodInWords(after)}`] : [];
  });
}

/** The periods that differ from what is saved: what a PATCH sends (null when nothing does). */
export function changedPeriods(
  saved: RetentionSettings,
  next: RetentionSettings,
): Partial<RetentionSettings> | null {
  const changed: Partial<RetentionSettings> = {};
  for (const { key } of retentionPeriods) {
    if (saved[key] !== next[key]) Object.assign(changed, { [key]: next[key] });
  }
  return Object.keys(changed).length > 0 ? changed : null;
}
