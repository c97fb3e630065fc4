import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/** The request being served, so every log line written while serving it carries its id. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** The process's structured JSON logger. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: 'livechat' },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: ['req.headers.authorization', 'authorization', 'password', 'token'],
  });
}

export type Logger = pino.Logger;
