import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultSpecsDir, LoadedSpec, loadSpecFile, routePattern, type SpecOperation, type SwaggerDocument } from '../../conformance/spec.ts';
import { runConformance } from '../../conformance/exercise.ts';
import { judge } from '../../conformance/judge.ts';
import { OwnSchemas, type OpenApiDocument } from '../../conformance/own-schema.ts';
import type { ConformanceReport } from '../../conformance/report.ts';
import { handWrittenFor, type RequestKit } from '../../conformance/requests.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** A small document with the Swagger 2 features the real files use. */
function miniDocument(): SwaggerDocument {
  return {
    swagger: '2.0',
    info: { title: 'Mini', version: '1.0' },
    basePath: '/mini/v1',
    paths: {
      '/thing': {
        get: { responses: { 200: { schema: { $ref: '#/definitions/Page«Thing»' } }, 401: { description: 'Unauthorized' } } },
        post: {
          parameters: [{ in: 'body', name: 'thing', required: true, schema: { $ref: '#/definitions/Thing' } }],
          responses: { 200: { schema: { $ref: '#/definitions/Thing' } }, 201: { description: 'Created' } },
        },
      },
      '/thing/{thing_id}': {
        parameters: [{ name: 'thing_id', in: 'path', required: true, type: 'string', format: 'uuid' }],
        get: { responses: { 200: { schema: { $ref: '#/definitions/Thing' } } } },
        delete: {
          parameters: [{ name: 'thing_id', in: 'path', required: true, type: 'string', description: 'overridden' }],
          responses: { 200: { description: 'OK' }, 204: { description: 'No Content' } },
        },
      },
      '/calculate': {
        post: { responses: { 200: { schema: { type: 'object', additionalProperties: true } } } },
      },
    },
    definitions: {
      Thing: {
        type: 'object',
        required: ['name'],
        properties: {
          id: { type: 'string', format: 'uuid', example: 'not-a-uuid' },
          name: { type: 'string', example: 42 },
          count: { type: 'integer', format: 'int32', example: 1 },
          note: { type: 'string', 'x-nullable': true },
          // A property that happens to be called like a Swagger keyword must survive.
          example: { type: 'string' },
        },
      },
      'Page«Thing»': {
        type: 'object',
        properties: {
          content: { type: 'array', items: { $ref: '#/definitions/Thing' } },
          total_elements: { type: 'integer', format: 'int64' },
        },
      },
    },
  };
}

/** Deuterium's own document for the mini API: precise where the Swagger file is not. */
function miniOwnDocument(): OpenApiDocument {
  const json = (schema: Record<string, unknown>) => ({ description: 'OK', content: { 'application/json': { schema } } });
  const thing = { $ref: '#/components/schemas/Thing' };
  return {
    openapi: '3.1.0',
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['name'],
          properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, count: { type: 'integer' }, note: { type: ['string', 'null'] }, example: { type: 'string' } },
        },
      },
    },
    paths: {
      '/mini/v1/thing': {
        get: { responses: { 200: json({ type: 'object', properties: { content: { type: 'array', items: thing }, total_elements: { type: 'integer' } } }) } },
        post: { responses: { 200: json(thing), 201: json(thing), '4XX': json({ type: 'object' }) } },
      },
      '/mini/v1/thing/{id}': {
        get: { responses: { 200: json(thing) } },
        delete: { responses: { 204: { description: 'No Content' } } },
      },
      '/mini/v1/calculate': {
        post: {
          responses: {
            200: json({
              type: 'object',
              required: ['payment', 'inputs', 'schedule'],
              properties: {
                payment: { type: 'number' },
                // Echoes the request, whatever it held: declared open, so left open.
                inputs: { type: 'object', additionalProperties: true },
                schedule: { type: 'array', items: { type: 'object', properties: { period: { type: 'integer' } } } },
                // A composition is closed as a whole, never branch by branch.
                total: { allOf: [{ type: 'object', properties: { amount: { type: 'number' } } }, { type: 'object', properties: { currency: { type: 'string' } } }] },
                detail: { anyOf: [{ type: 'object', properties: { kind: { const: 'a' } } }, { type: 'null' }] },
                free: { anyOf: [{ type: 'object' }, { type: 'null' }] },
              },
            }),
          },
        },
      },
    },
  };
}

function find(spec: LoadedSpec, method: string, path: string): SpecOperation {
  const op = spec.operations.find((o) => o.method === method && o.path === path);
  assert.ok(op, `${method} ${path} not enumerated`);
  return op;
}

function response(status: number, body: unknown) {
  return { status, headers: new Headers(), body };
}

describe('spec loader and Swagger → JSON Schema conversion', () => {
  const spec = new LoadedSpec('mini', miniDocument());
  const own = new OwnSchemas(miniOwnDocument());
  const thing = { $ref: '#/definitions/Thing' };

  it('enumerates every method with the base path prepended', () => {
    assert.deepEqual(
      spec.operations.map((o) => `${o.method} ${o.path}`).sort(),
      ['DELETE /mini/v1/thing/{thing_id}', 'GET /mini/v1/thing', 'GET /mini/v1/thing/{thing_id}', 'POST /mini/v1/calculate', 'POST /mini/v1/thing'],
    );
    assert.equal(routePattern('/mini/v1/thing/{thing_id}'), '/mini/v1/thing/:thing_id');
  });

  it('applies path-level parameters unless the operation overrides them', () => {
    const get = find(spec, 'GET', '/mini/v1/thing/{thing_id}');
    assert.deepEqual(get.parameters.map((p) => [p.name, p.format]), [['thing_id', 'uuid']]);
    const del = find(spec, 'DELETE', '/mini/v1/thing/{thing_id}');
    assert.deepEqual(del.parameters.map((p) => [p.name, p.description]), [['thing_id', 'overridden']]);
  });

  it('keeps types, required fields and formats exact', () => {
    assert.equal(spec.validate(thing, { name: 'a' }).valid, true);
    assert.match(spec.validate(thing, {}).errors[0], /missing required property "name"/);
    assert.equal(spec.validate(thing, { name: 1 }).valid, false);
    assert.equal(spec.validate(thing, { name: 'a', count: 1.5 }).valid, false);
    assert.equal(spec.validate(thing, { name: 'a', count: 2 ** 40 }).valid, false, 'int32 is a range, not decoration');
    assert.equal(spec.validate(thing, { name: 'a', id: 'nope' }).valid, false);
    assert.equal(spec.validate(thing, { name: 'a', extra: true }).valid, true, 'Swagger objects stay open');
  });

  it('drops example keywords but not properties named "example", and honours x-nullable', () => {
    assert.equal(spec.validate(thing, { name: 'a', example: 'b' }).valid, true);
    assert.equal(spec.validate(thing, { name: 'a', example: 3 }).valid, false);
    assert.equal(spec.validate(thing, { name: 'a', note: null }).valid, true);
    assert.equal(spec.validate(thing, { name: 'a', count: null }).valid, false);
  });

  it('resolves references to definitions named like Page«Thing»', () => {
    const page = { $ref: '#/definitions/Page«Thing»' };
    assert.equal(spec.validate(page, { content: [{ name: 'a' }], total_elements: 1 }).valid, true);
    assert.match(spec.validate(page, { content: [{}] }).errors[0], /\/content\/0.*"name"/);
  });

  it('refuses a reference to a missing definition when loading', () => {
    const doc = miniDocument();
    doc.definitions!.Thing.properties = { other: { $ref: '#/definitions/Nowhere' } };
    assert.throws(() => new LoadedSpec('broken', doc), /missing definition Nowhere/);
  });

  it('judges responses against the status they were given', () => {
    const post = find(spec, 'POST', '/mini/v1/thing');
    const ok = judge(spec, own, post, response(201, { name: 'a' }));
    assert.equal(ok.ok, true);
    assert.match(ok.notes[0], /checked against the 200/);
    assert.match(judge(spec, own, post, response(201, { name: 7 })).reason!, /does not match Thing: \/name/);
    assert.match(judge(spec, own, post, response(201, '')).reason!, /does not match Thing/);
    assert.match(judge(spec, own, post, response(202, { name: 'a' })).reason!, /not among the spec's responses/);
    assert.match(judge(spec, own, post, response(400, { message: 'bad' })).reason!, /status 400: bad/);
    const del = find(spec, 'DELETE', '/mini/v1/thing/{thing_id}');
    assert.equal(judge(spec, own, del, response(204, '')).ok, true);
    const calc = find(spec, 'POST', '/mini/v1/calculate');
    const answer = { payment: 1, inputs: { anything: 1 }, schedule: [] };
    assert.match(judge(spec, own, calc, response(200, answer)).notes[0], /untyped/);
    assert.equal(judge(spec, own, calc, response(200, [1])).ok, false);
  });

  it("judges every answer against Deuterium's own schema too, refusing fields it does not declare", () => {
    const calc = find(spec, 'POST', '/mini/v1/calculate');
    const verdict = (body: unknown) => judge(spec, own, calc, response(200, body));
    const answer = { payment: 1, inputs: { anything: 1 }, schedule: [{ period: 1 }] };
    assert.equal(verdict(answer).ok, true, verdict(answer).reason);
    // Hydrogen's spec says only "an object" here, so each of these would pass on it alone.
    assert.match(verdict({ ...answer, extra: 2 }).reason!, /own schema: \(root\): unexpected property "extra"/);
    const misspelled = { paymnet: 1, inputs: {}, schedule: [] };
    assert.match(verdict(misspelled).reason!, /own schema: \(root\): missing required property "payment"/);
    assert.match(verdict(misspelled).reason!, /\+1 more/, 'the misspelling is refused too');
    assert.match(verdict({ ...answer, payment: '1' }).reason!, /own schema: \/payment: must be number/);
    assert.match(verdict({ ...answer, schedule: [{ period: 1, perod: 2 }] }).reason!, /\/schedule\/0: unexpected property "perod"/);

    assert.equal(verdict({ ...answer, total: { amount: 1, currency: 'USD' } }).ok, true, 'allOf branches add up');
    assert.match(verdict({ ...answer, total: { amount: 1, cents: 100 } }).reason!, /\/total: unexpected property "cents"/);
    assert.equal(verdict({ ...answer, detail: { kind: 'a' } }).ok, true);
    assert.equal(verdict({ ...answer, detail: null }).ok, true);
    assert.equal(verdict({ ...answer, detail: { kind: 'a', more: 1 } }).ok, false, 'an anyOf branch is closed');
    assert.equal(verdict({ ...answer, free: { any: 'thing' } }).ok, true, 'an object the schema says nothing about stays open');
  });

  it("closes components where they are referred to, and asks for the status Deuterium documents", () => {
    const post = find(spec, 'POST', '/mini/v1/thing');
    assert.match(judge(spec, own, post, response(201, { name: 'a', nmae: 'b' })).reason!, /own schema: \(root\): unexpected property "nmae"/);
    const list = find(spec, 'GET', '/mini/v1/thing');
    assert.equal(judge(spec, own, list, response(200, { content: [{ name: 'a' }], total_elements: 1 })).ok, true);
    assert.match(judge(spec, own, list, response(200, { content: [{ name: 'a', extra: 1 }] })).reason!, /\/content\/0: unexpected property "extra"/);
    // Matched whatever the path parameter is called: {thing_id} here, {id} in the document.
    const get = find(spec, 'GET', '/mini/v1/thing/{thing_id}');
    assert.equal(judge(spec, own, get, response(200, { name: 'a' })).ok, true);
    assert.match(judge(spec, own, get, response(200, { name: 'a', secret: 1 })).reason!, /unexpected property "secret"/);
    const del = find(spec, 'DELETE', '/mini/v1/thing/{thing_id}');
    assert.match(judge(spec, own, del, response(200, '')).reason!, /status 200 is not among the responses Deuterium documents \(204\)/);
    const bare = new OwnSchemas({ openapi: '3.1.0', paths: {} });
    assert.match(judge(spec, bare, del, response(204, '')).reason!, /DELETE \/mini\/v1\/thing\/\{thing_id\} is not in Deuterium's OpenAPI document/);
  });
});

describe('the real specification files', () => {
  const dir = defaultSpecsDir();

  it('nucleus.yaml has 441 operations: 435 under /nucleus/v1 and 6 under /admin/v1', () => {
    const spec = loadSpecFile('nucleus', join(dir, 'nucleus.yaml'));
    assert.equal(spec.operations.length, 441);
    assert.equal(spec.operations.filter((o) => o.path.startsWith('/nucleus/v1/')).length, 435);
    assert.equal(spec.operations.filter((o) => o.path.startsWith('/admin/v1/')).length, 6);
    // Every schema converts and compiles under ajv's strict mode.
    for (const op of spec.operations) {
      for (const r of Object.values(op.responses)) if (r.schema) spec.compile(r.schema);
      for (const p of op.parameters) if (p.schema) spec.compile(p.schema);
    }
  });

  it('proton.yaml and electron.yaml paths are relative to their base paths', () => {
    const proton = loadSpecFile('proton', join(dir, 'proton.yaml'));
    assert.equal(proton.operations.length, 58);
    assert.ok(proton.operations.every((o) => o.path.startsWith('/proton/v1/')));
    const electron = loadSpecFile('electron', join(dir, 'electron.yaml'));
    assert.equal(electron.operations.length, 13);
    assert.ok(electron.operations.every((o) => o.path.startsWith('/electron/v1/')));
  });

  it('hand-written Proton bodies satisfy the spec, so they are never silently replaced', async () => {
    const proton = loadSpecFile('proton', join(dir, 'proton.yaml'));
    // Builders that first make or look up Nucleus records need a server; the run below checks theirs.
    class NeedsRecords extends Error {}
    const kit: RequestKit = {
      createBody: () => undefined,
      liveId: () => undefined,
      throwaway: async () => undefined,
      request: async () => {
        throw new NeedsRecords();
      },
    };
    let checked = 0;
    for (const op of proton.operations) {
      const found = handWrittenFor(op.method, op.path);
      if (!found) continue;
      let made;
      try {
        made = await found[0](kit, found[1]);
      } catch (error) {
        if (error instanceof NeedsRecords) continue;
        throw error;
      }
      if ('error' in made) continue;
      const schema = op.parameters.find((p) => p.in === 'body')!.schema!;
      assert.deepEqual(proton.validate(schema, made.body).errors, [], `${op.path}`);
      checked++;
    }
    assert.ok(checked > 0);
  });
});

describe('conformance run against the current server', () => {
  let server: TestServer;
  let report: ConformanceReport;

  before(async () => {
    server = await startServer();
    const dir = defaultSpecsDir();
    const specs = ['nucleus', 'proton', 'electron'].map((api) => loadSpecFile(api, join(dir, `${api}.yaml`)));
    report = await runConformance(server, specs, dir);
  });
  after(async () => {
    await server?.close();
  });

  it('reports the five client operations as implemented and valid', () => {
    const client = report.operations.filter((o) => /^\/nucleus\/v1\/client(\/\{client_id\})?$/.test(o.path));
    assert.deepEqual(client.map((o) => `${o.method} ${o.path}`).sort(), [
      'DELETE /nucleus/v1/client/{client_id}',
      'GET /nucleus/v1/client',
      'GET /nucleus/v1/client/{client_id}',
      'POST /nucleus/v1/client',
      'PUT /nucleus/v1/client/{client_id}',
    ]);
    for (const op of client) {
      assert.equal(op.implemented, true, `${op.method} ${op.path} implemented`);
      assert.equal(op.outcome, 'valid', `${op.method} ${op.path}: ${op.reason}`);
    }
  });

  it('implements every operation of the specifications, so a route that disappears fails here', () => {
    const inSpec = { nucleus: 441, proton: 58, electron: 13 };
    const count = (key: 'operations' | 'implemented' | 'valid') => Object.fromEntries(report.apis.map((a) => [a.api, a[key]]));
    assert.deepEqual(count('operations'), inSpec);
    assert.deepEqual(report.operations.filter((o) => !o.implemented).map((o) => `${o.method} ${o.path}`), [], 'not implemented');
    assert.deepEqual(count('implemented'), inSpec);
    assert.deepEqual(count('valid'), inSpec);
  });

  it('finds every implemented operation valid', () => {
    const invalid = report.operations.filter((o) => o.implemented && o.outcome !== 'valid').map((o) => `${o.method} ${o.path}: ${o.reason}`);
    assert.deepEqual(invalid, []);
  });

  it('counts an operation valid only when it was exercised', () => {
    for (const op of report.operations) {
      if (op.outcome === 'valid') assert.equal(typeof op.status, 'number', `${op.method} ${op.path} has a status`);
      if (!op.implemented) assert.equal(op.outcome, 'not-implemented');
    }
    const nucleus = report.apis.find((a) => a.api === 'nucleus')!;
    assert.equal(nucleus.operations, 441);
    assert.ok(nucleus.valid <= nucleus.implemented);
  });
});
