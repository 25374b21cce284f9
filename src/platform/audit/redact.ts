/**
 * Names of fields that hold a secret or a regulated identifier wherever they appear:
 * passwords, secrets, tokens, card and bank account numbers, national identification numbers.
 */
const SECRET_NAME = /pass(word|wd)|secret|token|card_?(number|num|no)\b|^pan$|cvv|cvc|identification_number|account_number|routing_number/i;

export const REDACTED = '[redacted]';

/**
 * A copy of a request body safe to keep: the declaration's own secret fields (at the top
 * level) and any field whose name looks secret (at any depth) have their value replaced.
 */
export function redact(body: unknown, secrets: readonly string[] = []): unknown {
  const walk = (value: unknown, topLevel: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, false));
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        (topLevel && secrets.includes(key)) || SECRET_NAME.test(key) ? [key, REDACTED] : [key, walk(inner, false)],
      ),
    );
  };
  return walk(body, true);
}

/** The URL with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0];
      return SECRET_NAME.test(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
