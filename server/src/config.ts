import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { z } from 'zod';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /** prefix of every Redis key, so deployments can share one Redis */
  REDIS_PREFIX: z.string().default('livechat:'),
  DATA_DIR: z.string().default('./.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** proxy-addr trust list: "loopback", "10.0.0.0/8,127.0.0.1", a hop count, or "false". */
  TRUST_PROXY: z.string().default('loopback'),
  MIGRATE_ON_START: boolean.default('true'),
  SEED_DEMO: boolean.default('true'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(100_000),
  /** widget page loads allowed per client IP and minute; 0 turns the limit off */
  RATE_LIMIT_VISITOR_SESSIONS: z.coerce.number().int().min(0).default(300),
  /** messages allowed per visitor and minute; 0 turns the limit off */
  RATE_LIMIT_VISITOR_MESSAGES: z.coerce.number().int().min(0).default(60),
  /** how often each instance applies the accounts' retention settings; 0 turns the job off */
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  PUBLIC_URL: z.string().url().optional(),
  /** PEM certificate (chain) and private key: with both, the server speaks HTTPS and WSS only. */
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** Strict-Transport-Security max-age in seconds, sent on requests that came over TLS; 0 sends none. */
  HSTS_MAX_AGE: z.coerce.number().int().min(0).default(31_536_000),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  trustProxy: string;
  migrateOnStart: boolean;
  seedDemo: boolean;
  bodyLimitBytes: number;
  retentionIntervalMinutes: number;
  visitorLimits: { sessionsPerMinute: number; messagesPerMinute: number };
  publicUrl: string | undefined;
  /** the certificate and key to serve HTTPS/WSS with; null serves plain HTTP/WS (behind a TLS proxy, or locally) */
  tls: { certFile: string; keyFile: string; cert: Buffer; key: Buffer } | null;
  hstsMaxAge: number;
};

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE (both or neither) and checks that they make a usable
 * pair now, so a bad path or a key of another certificate stops the start, not the first client.
 */
function loadTls(certFile: string | undefined, keyFile: string | undefined, base: string): Config['tls'] {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    const [set, missing] = certFile ? ['TLS_CERT_FILE', 'TLS_KEY_FILE'] : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    throw new Error(`Invalid configuration: ${set} is set but ${missing} is not; set both (PEM files) to serve HTTPS, or neither.`);
  }
  const read = (name: string, file: string) => {
    const resolved = path.resolve(base, file);
    try {
      return { resolved, pem: readFileSync(resolved) };
    } catch (error) {
      throw new Error(`Invalid configuration: ${name}: cannot read ${resolved} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  try {
    tls.createSecureContext({ cert: cert.pem, key: key.pem });
  } catch (error) {
    throw new Error(`Invalid configuration: TLS_CERT_FILE/TLS_KEY_FILE: not a usable PEM certificate and key pair (${(error as Error).message})`);
  }
  return { certFile: cert.resolved, keyFile: key.resolved, cert: cert.pem, key: key.pem };
}

/** Reads every setting the server has from the environment, failing fast on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // npm runs workspace scripts inside server/; INIT_CWD is where the user typed `npm start`.
  const base = env.INIT_CWD ?? process.cwd();
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    dataDir: path.resolve(base, e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    migrateOnStart: e.MIGRATE_ON_START,
    seedDemo: e.SEED_DEMO,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    retentionIntervalMinutes: e.RETENTION_INTERVAL_MINUTES,
    visitorLimits: { sessionsPerMinute: e.RATE_LIMIT_VISITOR_SESSIONS, messagesPerMinute: e.RATE_LIMIT_VISITOR_MESSAGES },
    publicUrl: e.PUBLIC_URL,
    tls: loadTls(e.TLS_CERT_FILE, e.TLS_KEY_FILE, base),
    hstsMaxAge: e.HSTS_MAX_AGE,
  };
}
