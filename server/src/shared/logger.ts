import pino from 'pino';

/** The process's structured JSON logger; children carry a request id. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: 'livechat' },
    redact: ['req.headers.authorization', 'authorization', 'password', 'token'],
  });
}

export type Logger = pino.Logger;
