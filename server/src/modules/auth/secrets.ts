import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Token kinds are told apart by prefix, so one lookup in one table resolves a token. */
export const tokenPrefixes = {
  session: 'lcs_',
  apiToken: 'lca_',
  visitor: 'lcv_',
  invite: 'lci_',
} as const;
export type TokenKind = keyof typeof tokenPrefixes;

/** A fresh random 256-bit token with its kind's prefix. */
export function newToken(kind: TokenKind): string {
  return tokenPrefixes[kind] + randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256: a database leak reveals no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenKind(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(tokenPrefixes)) {
    if (token.startsWith(prefix)) return kind as TokenKind;
  }
  return null;
}

// @node-rs/argon2 hashes with argon2id by default; these are OWASP's minimum settings.
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

// Verifying against this when no agent matches keeps sign-in time the same for unknown emails.
const dummyHash = hash('not-a-password', argonOptions);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    if (!passwordHash) {
      await verify(await dummyHash, password);
      return false;
    }
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
