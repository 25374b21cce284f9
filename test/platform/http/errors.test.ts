import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, ERROR_TYPES } from '../../../src/platform/http/api-error.ts';
import { errorOfCode, errors } from '../../../src/platform/http/errors.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(at);
    return entry.name.endsWith('.ts') ? [at] : [];
  });
}

/** src/, whether this runs from test/ or from the compiled copy in .build/test/. */
function sourceRoot(): string {
  let dir = import.meta.dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'src');
}

describe('the error catalogue', () => {
  const entries = Object.entries(errors);

  it('declares each code once, with an error status and a known type', () => {
    const codes = entries.map(([, entry]) => entry.code);
    assert.deepEqual(
      codes.filter((code, i) => codes.indexOf(code) !== i),
      [],
      'a code declared twice could answer with two statuses',
    );
    for (const [name, entry] of entries) {
      assert.match(entry.code, /^[a-z]+(_[a-z]+)*$/, name);
      assert.ok(entry.status >= 400 && entry.status < 600, `${name}: ${entry.status}`);
      assert.ok(ERROR_TYPES.includes(entry.type), `${name}: ${entry.type}`);
      assert.equal(errorOfCode(entry.code), entry);
    }
  });

  it('names each entry for its code, so a reader finds one from the other', () => {
    for (const [name, entry] of entries) assert.equal(name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), entry.code);
  });

  it('is the only place errors are built, a bulk item answering the error it stored included', () => {
    const root = sourceRoot();
    const building = sourceFiles(root)
      .filter((file) => /new ApiError\(/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file))
      .sort();
    assert.deepEqual(building, ['platform/http/errors.ts']);
  });

  it('gives every 5xx the api_error type and no 4xx it', () => {
    for (const [name, entry] of entries) assert.equal(entry.type === 'api_error', entry.status >= 500, name);
  });

  it('builds errors whose message comes from named parameters', () => {
    const error = errors.invalidField({ field: 'amount', problem: 'must be positive' });
    assert.ok(error instanceof ApiError);
    assert.deepEqual(
      { status: error.status, code: error.code, type: error.type, message: error.message, field: error.field, problems: error.problems },
      { status: 400, code: 'invalid_field', type: 'invalid_request_error', message: 'amount: must be positive', field: 'amount', problems: [{ field: 'amount', message: 'must be positive' }] },
    );
    assert.deepEqual(errors.unauthorized({ reason: 'no token' }).headers, { 'www-authenticate': 'Bearer realm="deuterium"' });
  });
});
