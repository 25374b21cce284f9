import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorOfCode } from '../../../src/platform/http/errors.ts';
import { startServer, type TestServer } from '../../support/server.ts';

type Schema = { title?: string; properties?: Record<string, { enum?: string[] }>; required?: string[] };
type Operation = { operationId?: string; responses: Record<string, { content?: Record<string, { schema: Schema }> }> };

describe('/openapi.json lists the errors of each operation', () => {
  let server: TestServer;
  let operations: { name: string; operation: Operation }[];
  let byId: Map<string, Operation>;
  before(async () => {
    server = await startServer();
    const spec = (await server.request('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    );
    byId = new Map(operations.filter(({ operation }) => operation.operationId).map(({ operation }) => [operation.operationId!, operation]));
  });
  after(() => server.close());

  const errorSchemas = (operation: Operation) =>
    Object.entries(operation.responses)
      .filter(([status]) => /^[45]/.test(status))
      .map(([status, response]) => ({ status, schema: response.content?.['application/json']?.schema }));

  // Probes for orchestrators, which need no token and answer in a shape of their own.
  const PROBES = new Set(['GET /health', 'GET /ready']);

  it('documents an error response with a code for every operation', () => {
    const missing: string[] = [];
    for (const { name, operation } of operations.filter(({ name }) => !PROBES.has(name))) {
      const documented = errorSchemas(operation);
      if (documented.length === 0 || documented.some(({ schema }) => !schema?.required?.includes('code'))) missing.push(name);
    }
    assert.deepEqual(missing, [], 'operations without an error response in a shape with a code');
  });

  it('gives each status of the one error shape the codes of the catalogue that answer with it', () => {
    for (const { name, operation } of operations) {
      for (const { status, schema } of errorSchemas(operation)) {
        if (schema?.title !== 'Error' || !/^\d{3}$/.test(status)) continue;
        const codes = schema.properties?.code?.enum;
        assert.ok(codes && codes.length > 0, `${name} ${status} lists no codes`);
        for (const code of codes) assert.equal(errorOfCode(code)?.status, Number(status), `${name} ${status}: ${code}`);
        assert.ok(schema.required?.includes('type'), `${name} ${status}`);
      }
    }
  });

  it('lists what the generic entity operations raise', () => {
    const codesOf = (id: string, status: string) => byId.get(id)?.responses[status]?.content?.['application/json']?.schema.properties?.code?.enum ?? [];
    assert.deepEqual(codesOf('get_client', '404'), ['not_found']);
    assert.deepEqual(codesOf('create_client', '409').sort(), ['duplicate', 'idempotency_request_in_progress']);
    for (const code of ['invalid_request', 'invalid_json', 'invalid_field', 'reference_not_found']) assert.ok(codesOf('create_client', '400').includes(code), code);
    assert.ok(codesOf('list_client', '400').includes('invalid_filter'));
    assert.ok(codesOf('delete_client', '409').includes('referenced'));
    assert.deepEqual(codesOf('get_client', '401'), ['unauthorized']);
    assert.ok(codesOf('get_client', '403').includes('insufficient_scope'));
    assert.deepEqual(codesOf('get_client', '415'), [], 'a request without a body has no media type to refuse');
  });
});
