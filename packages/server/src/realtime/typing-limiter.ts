import { LocalRateLimiter } from '../services/rate-limit.js';

/**
 * Typing events are throttled per socket, and a socket lives on one instance: counting them
 * locally costs no Redis round trip on the most frequent event there is.
 */
export const typingLimiter = new LocalRateLimiter();
