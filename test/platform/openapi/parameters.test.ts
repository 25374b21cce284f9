import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

type Parameter = { name: string; in: string; required?: boolean; schema?: { default?: unknown } };

describe('/openapi.json documents parameters as the server reads them', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('documents no parameter with a default as required, since validation fills it in', async () => {
    const spec = (await server.request('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const wrong = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) =>
        (operation.parameters ?? []).filter((p) => p.required && p.schema?.default !== undefined).map((p) => `${method.toUpperCase()} ${path} ${p.in} ${p.name}`),
      ),
    );
    assert.deepEqual(wrong, []);
  });

  it('answers a webhook delivery list asked for without paging parameters', async () => {
    const webhook = await server.request('POST', '/nucleus/v1/webhook', { body: { url: 'http://127.0.0.1:9/hook', atom_service: ['client'] } });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));
    const deliveries = await server.request('GET', `/nucleus/v1/webhook/${webhook.body.id}/delivery`);
    assert.equal(deliveries.status, 200, JSON.stringify(deliveries.body));
    assert.equal(deliveries.body.size, 25);
    assert.equal(deliveries.body.number, 0);
  });
});
