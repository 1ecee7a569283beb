import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs; tokens, passwords and cookies are redacted wherever they appear. `destination`:
 * somewhere else than stdout (the tests read what was logged).
 */
export function createLogger(
  level: string,
  pretty: boolean,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.accessToken',
        '*.visitorToken',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
