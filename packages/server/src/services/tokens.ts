import { createHmac, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { Id, type Role } from '@parley/protocol';
import type { Db } from '../db/client.js';
import { getOrInsertSetting } from '../db/settings.js';
import { unauthorized } from '../errors.js';

const ISSUER = 'parley';
const AGENT_AUDIENCE = 'parley:agent';
const VISITOR_AUDIENCE = 'parley:visitor';
// Only this algorithm is accepted: a token claiming `none` or RS256 is refused outright.
const ALGORITHMS = ['HS256'];
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const VISITOR_TOKEN_TTL = '365d';

/** `sessionId`: the sign-in the token belongs to; ending it ends the token (see revocations). */
export type AgentClaims = { userId: string; role: Role; sessionId: string };
export type VerifiedAgentClaims = AgentClaims & { expiresAt: number };
/**
 * `identityVersion`: on the token of a verified visitor, the version of the identity secret
 * its claim was verified with (services/identity.ts): rotating the secret ends such tokens.
 */
/** `siteId` is absent from tokens made before there were sites: theirs is the default site. */
export type VisitorClaims = { visitorId: string; siteId?: string; identityVersion?: number };

export class Tokens {
  private constructor(private readonly key: Uint8Array) {}

  /**
   * With no configured secret, one is made on first start and kept in the database, so tokens
   * survive restarts and every instance on the same database agrees on it.
   */
  static async create(db: Db, configured: string | undefined): Promise<Tokens> {
    const secret =
      configured ??
      String(await getOrInsertSetting(db, 'jwt_secret', randomBytes(48).toString('base64url')));
    return new Tokens(new TextEncoder().encode(secret));
  }

  /**
   * A key of its own for another use of the secret (reply addresses, say), so that a value
   * signed for one use is never valid for another.
   */
  subkey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`parley:${purpose}`).digest();
  }

  async signAccess(c: AgentClaims): Promise<string> {
    return new SignJWT({ role: c.role, sid: c.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AGENT_AUDIENCE)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
      .sign(this.key);
  }

  async verifyAccess(token: string): Promise<VerifiedAgentClaims> {
    const payload = await this.verify(token, AGENT_AUDIENCE);
    const role = payload.role;
    if (role !== 'admin' && role !== 'agent') throw unauthorized('Invalid token');
    const sessionId = Id.safeParse(payload.sid);
    if (!sessionId.success) throw unauthorized('Invalid token');
    return { userId: payload.sub, role, sessionId: sessionId.data, expiresAt: payload.exp * 1000 };
  }

  async signVisitor(visitorId: string, siteId: string, identityVersion?: number): Promise<string> {
    return new SignJWT(
      identityVersion === undefined ? { site: siteId } : { site: siteId, idv: identityVersion },
    )
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitorId)
      .setIssuer(ISSUER)
      .setAudience(VISITOR_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(VISITOR_TOKEN_TTL)
      .sign(this.key);
  }

  /** The visitor the token was issued for, and the identity version if it was verified. */
  async verifyVisitor(token: string): Promise<VisitorClaims> {
    const { sub, idv, site } = await this.verify(token, VISITOR_AUDIENCE);
    const siteId = Id.safeParse(site);
    return {
      visitorId: sub,
      ...(siteId.success ? { siteId: siteId.data } : {}),
      ...(typeof idv === 'number' ? { identityVersion: idv } : {}),
    };
  }

  private async verify(token: string, audience: string) {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ALGORITHMS,
        issuer: ISSUER,
        audience,
        requiredClaims: ['sub', 'exp'],
      });
      // A correctly signed token is still input: its subject becomes a query's uuid parameter.
      const sub = Id.safeParse(payload.sub);
      if (!sub.success) throw unauthorized('Invalid token');
      return {
        sub: sub.data,
        role: payload.role,
        sid: payload.sid,
        idv: payload.idv,
        site: payload.site,
        exp: payload.exp ?? 0,
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('Token expired');
      throw unauthorized('Invalid token');
    }
  }
}
