import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../../../src/platform/db/database.ts';
import { prepareDatabase } from '../../../src/platform/db/prepare.ts';
import { registerErrorHandling } from '../../../src/platform/http/error-handling.ts';
import { registerIdempotency } from '../../../src/platform/idempotency/idempotency.ts';
import { freshDatabase } from '../../support/server.ts';

/**
 * Requests that can be held open or made to fail are not something the real API offers, so
 * these cases run against a small app with the same error handling and the idempotency hooks,
 * authenticated by headers instead of tokens.
 */
describe('Idempotency-Key while a request runs or fails', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let release: () => void = () => {};
  let runs = 0;
  const tenantId = randomUUID();
  const credentialId = randomUUID();

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await prepareDatabase(db, []);
    app = Fastify();
    registerErrorHandling(app);
    app.decorateRequest('auth', null as never);
    app.addHook('onRequest', async (request) => {
      request.auth = { tenantId, credentialId, clientId: null, authorities: [], scopes: [] };
    });
    registerIdempotency(app, { db });
    app.post('/slow', async (_request, reply) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      runs++;
      return reply.code(201).send({ runs });
    });
    app.post('/flaky', async (_request, reply) => {
      runs++;
      if (runs === 1) throw new Error('the first attempt breaks');
      return reply.code(201).send({ runs });
    });
    app.post('/unavailable', async (_request, reply) => {
      runs++;
      return reply.code(503).send({ runs });
    });
  });
  after(async () => {
    await app.close();
    await db.close();
    await drop();
  });

  const post = (url: string, key: string, body: unknown = { a: 1 }) =>
    app.inject({ method: 'POST', url, headers: { 'idempotency-key': key }, payload: body as object });
  const claimed = async (key: string): Promise<boolean> =>
    (await db.query('SELECT 1 FROM idempotency_key WHERE key = $1', [key])).length > 0;

  it('answers 409 to a repeat while the first is still running, then replays', async () => {
    runs = 0;
    const first = post('/slow', 'slow');
    while (!(await claimed('slow'))) await new Promise((r) => setTimeout(r, 5));
    const repeat = await post('/slow', 'slow');
    assert.equal(repeat.statusCode, 409);
    assert.equal(repeat.json().code, 'idempotency_request_in_progress');
    assert.equal(repeat.json().field, 'Idempotency-Key');
    assert.equal(repeat.headers['retry-after'], '1');
    const different = await post('/slow', 'slow', { a: 2 });
    assert.equal(different.statusCode, 422, 'another body is refused even while the first runs');

    release();
    assert.equal((await first).statusCode, 201);
    const after = await post('/slow', 'slow');
    assert.equal(after.statusCode, 201);
    assert.equal(after.headers['idempotent-replayed'], 'true');
    assert.deepEqual(after.json(), { runs: 1 });
  });

  it('does not remember a 5xx, thrown or sent, so a retry runs again', async () => {
    runs = 0;
    const broken = await post('/flaky', 'flaky');
    assert.equal(broken.statusCode, 500);
    assert.equal(await claimed('flaky'), false, 'released before the answer left');
    const retried = await post('/flaky', 'flaky');
    assert.equal(retried.statusCode, 201);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.deepEqual(retried.json(), { runs: 2 });
    assert.equal((await post('/flaky', 'flaky')).headers['idempotent-replayed'], 'true');

    runs = 0;
    assert.equal((await post('/unavailable', 'unavailable')).statusCode, 503);
    const again = await post('/unavailable', 'unavailable');
    assert.equal(again.statusCode, 503);
    assert.equal(again.headers['idempotent-replayed'], undefined);
    assert.equal(runs, 2);
  });

  it('lets the same request take over a claim its crashed process never settled', async () => {
    runs = 1;
    assert.equal((await post('/flaky', 'crashed')).statusCode, 201);
    await db.query(
      `UPDATE idempotency_key SET status_code = NULL, response_body = NULL, claimed_at = now() - interval '10 minutes'
       WHERE key = 'crashed'`,
    );
    assert.equal((await post('/flaky', 'crashed', { a: 2 })).statusCode, 422, 'only by the same request');
    const retried = await post('/flaky', 'crashed');
    assert.equal(retried.statusCode, 201);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.deepEqual(retried.json(), { runs: 3 });
  });
});
