import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session's cookie; the sign-in form's is a separate one, as it is sent before any session exists. */
export const SESSION_COOKIE = 'deuterium_console';
export const SIGN_IN_COOKIE = 'deuterium_console_sign_in';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * Only ever sent back to the console's own paths, never readable by scripts, never sent with a
 * request another site starts (SameSite=Strict), and only over TLS when the console is served
 * over it (as the request saw it, behind TRUST_PROXY's proxies too).
 */
export function setCookie(request: FastifyRequest, reply: FastifyReply, name: string, value: string, maxAgeSeconds?: number): void {
  const attributes = [`${name}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeSeconds !== undefined) attributes.push(`Max-Age=${maxAgeSeconds}`);
  if (request.protocol === 'https') attributes.push('Secure');
  const earlier = reply.getHeader('set-cookie');
  const cookies = Array.isArray(earlier) ? earlier : typeof earlier === 'string' ? [earlier] : [];
  reply.header('set-cookie', [...cookies, attributes.join('; ')]);
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  setCookie(request, reply, name, '', 0);
}
