import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** The project's root, whether this runs from test/ or from the compiled copy in .build/test/. */
function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above the test');
    dir = parent;
  }
  return dir;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(at);
    return entry.name.endsWith('.ts') ? [at] : [];
  });
}

/** "UnsupportedGrantType" → "unsupported_grant_type", the RFC 6749 name OAuth2Server gives it. */
function snakeCase(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Every way src builds an error that reaches a client with a code, each with the code's place
 * in the match: an entry of the error catalogue (errors.ts, which holds Node's own failures
 * too), a card processor's refusal (answered as an ApiError with its code), and an OAuth error
 * (answered with its RFC 6749 name, or mfa_required for an admin user who must pass a second
 * factor).
 */
const CONSTRUCTORS: { pattern: RegExp; code: (match: RegExpMatchArray) => string }[] = [
  { pattern: /define(?:<[^(]*?>)?\(\s*\d{3},\s*'([a-z_]+)'/g, code: (m) => m[1] },
  { pattern: /new ProcessorRefusal\(\s*'([a-z_]+)'/g, code: (m) => m[1] },
  { pattern: /new OAuth2Server\.(\w+)Error\(/g, code: (m) => snakeCase(m[1]) },
  { pattern: /new MfaRequiredError\(/g, code: () => 'mfa_required' },
];

/**
 * OAuth2Server raises these itself when our model refuses (wrong secret, unknown user, a scope
 * it does not grant, a missing parameter), so no constructor in src names them.
 */
const RAISED_BY_OAUTH_LIBRARY = ['invalid_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'unsupported_grant_type'];

function errorCodes(root: string): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  const add = (code: string, file: string) => codes.set(code, (codes.get(code) ?? new Set()).add(file));
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const { pattern, code } of CONSTRUCTORS) for (const match of text.matchAll(pattern)) add(code(match), path.relative(root, file));
  }
  for (const code of RAISED_BY_OAUTH_LIBRARY) add(code, '@node-oauth/oauth2-server');
  return codes;
}

describe('error codes', () => {
  const root = projectRoot();
  const codes = errorCodes(root);
  const self = fs.realpathSync(path.join(root, 'test/platform/http/error-codes.test.ts'));
  const tests = sourceFiles(path.join(root, 'test'))
    .filter((file) => fs.realpathSync(file) !== self)
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');

  it('finds the codes of every kind of error src builds', () => {
    for (const code of ['not_found', 'invalid_field', 'unauthorized', 'insufficient_scope', 'card_has_balance', 'unauthorized_client', 'request_timeout', 'mfa_required']) {
      assert.ok(codes.has(code), `${code} not found by the scan`);
    }
  });

  const named = (code: string) => new RegExp(`['"\`]${code}['"\`]`).test(tests);

  it('names every code the project can answer in at least one other test', () => {
    const unnamed = [...codes]
      .filter(([code]) => !named(code))
      .map(([code, files]) => `${code} (${[...files].join(', ')})`)
      .sort();
    assert.deepEqual(unnamed, [], 'codes no test asserts; write a request that produces each');
  });
});
