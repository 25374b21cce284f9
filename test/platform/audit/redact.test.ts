import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactUrl } from '../../../src/platform/audit/redact.ts';

describe('redacting secrets for the audit log', () => {
  it('replaces declared secrets at the top level and secret-looking names at any depth', () => {
    const body = {
      pin_code: '1234',
      password: 'p',
      profile: { passwd: 'p', nested: [{ client_secret: 's', refresh_token: 't', card_number: '4111', cvv: '123', name: 'kept' }] },
      card_number_last4: '1111',
      list: ['password'],
    };
    assert.deepEqual(redact(body, ['pin_code']), {
      pin_code: '[redacted]',
      password: '[redacted]',
      profile: {
        passwd: '[redacted]',
        nested: [{ client_secret: '[redacted]', refresh_token: '[redacted]', card_number: '[redacted]', cvv: '[redacted]', name: 'kept' }],
      },
      card_number_last4: '1111',
      list: ['password'],
    });
    assert.equal(body.password, 'p', 'the original is left alone');
    assert.equal(redact(undefined), undefined);
    assert.deepEqual(redact({ identification_number: '111-22-3333', bank_account_number: '12345678', routing_number: '021000021', ticker: 'T' }), {
      identification_number: '[redacted]',
      bank_account_number: '[redacted]',
      routing_number: '[redacted]',
      ticker: 'T',
    });
  });

  it('replaces secret-looking query parameters', () => {
    assert.equal(redactUrl('/a?password=x&page=2&access_token=y'), '/a?password=[redacted]&page=2&access_token=[redacted]');
    assert.equal(redactUrl('/a/b'), '/a/b');
  });
});
