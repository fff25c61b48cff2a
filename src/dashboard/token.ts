import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 random bits, URL-safe: the dashboard's only credential, printed in its URL. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Whether a request carries the token, compared in constant time. Both sides are hashed first
 * so the comparison takes the same time whatever the length of what was sent.
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A browser on this machine names the server by loopback address or `localhost`; anything else is refused (DNS rebinding). */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}
