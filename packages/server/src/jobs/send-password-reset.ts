import { randomBytes } from 'node:crypto';
import { insertPasswordReset } from '../db/email.js';
import { findUserByEmail } from '../db/users.js';
import { passwordResetEmail } from '../email/compose.js';
import type { Context } from '../context.js';
import type { JobHandler } from '../queue/kinds.js';
import { hashResetToken, RESET_TTL_MS } from '../services/password-reset.js';
import { passwordResetAllowed } from '../services/sso-settings.js';

/**
 * "Forgot password": looks the address up here, in the background, so the request answers the
 * same, as fast, for an address with an account and one without. An active account gets a
 * single-use link; the token's hash is stored with the email job in one transaction.
 */
export function sendPasswordResetJob(ctx: Context): JobHandler<'send-password-reset'> {
  return {
    kind: 'send-password-reset',
    maxAttempts: 3,
    async run({ email }) {
      const mail = ctx.email;
      if (!mail) return;
      const user = await findUserByEmail(ctx.db, email);
      if (!user?.active) return;
      // With "SSO only", nobody but the break-glass admin gets a link (the answer said nothing).
      if (!(await passwordResetAllowed(ctx, user.id))) return;
      const token = randomBytes(32).toString('base64url');
      await ctx.db.transaction(async (tx) => {
        await insertPasswordReset(tx, {
          userId: user.id,
          tokenHash: hashResetToken(token),
          expiresAt: new Date(Date.now() + RESET_TTL_MS),
        });
        const link = `${mail.settings.publicUrl}/reset-password#token=${token}`;
        await ctx.jobs.enqueue(
          'email',
          passwordResetEmail({ to: user.email, team: mail.sender, name: user.name, link }),
          { tx },
        );
      });
      ctx.jobs.wake();
    },
  };
}
