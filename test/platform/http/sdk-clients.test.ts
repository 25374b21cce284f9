import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { javascriptClient, pythonClient, type DialectTarget, type SdkDialect } from '../../support/sdk-dialects.ts';
import { nucleusEntities } from '../../../src/nucleus/entities.ts';
import { buildStores } from '../../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody, sampleValue } from '../../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath } from '../../../src/platform/entity/declaration.ts';
import type { JsonSchema } from '../../../src/platform/entity/schemas.ts';
import type { EntityStore } from '../../../src/platform/entity/store.ts';
import { defaultSpecsDir, loadSpecs } from '../../../conformance/spec.ts';
import { runConformance } from '../../../conformance/exercise.ts';

type Body = Record<string, unknown>;

/** The required fields, and every optional date or date-time of the entity's own, so each entity's dates make the round trip. */
function bodyWithDates(store: EntityStore, ids: Record<string, string>): Body {
  const body = sampleBody(store.declaration, store.schemas.create, ids);
  for (const [name, schema] of Object.entries(store.schemas.create.properties ?? {})) {
    if (name in body || name === 'create_date' || name === 'update_date') continue;
    if (schema.format === 'date' || schema.format === 'date-time') body[name] = sampleValue(schema as JsonSchema);
  }
  return body;
}

const specs = loadSpecs(defaultSpecsDir());
const dialects: [string, (target: DialectTarget) => SdkDialect][] = [
  ['swagger-codegen JavaScript', javascriptClient],
  ['swagger-codegen Python', pythonClient],
];

for (const [name, makeDialect] of dialects) {
  describe(`Hydrogen's ${name} client, emulated at the wire`, () => {
    let server: TestServer;
    let sdk: SdkDialect;
    const ids: Record<string, string> = {};
    const created: { base: string; id: string; name: string }[] = [];
    before(async () => {
      server = await startServer();
      sdk = makeDialect({ url: server.url, token: () => server.adminToken(), specs });
    });
    after(() => server.close());

    for (const store of creationOrder(buildStores(nucleusEntities))) {
      const { declaration } = store;
      const offered = new Set(declaration.operations ?? ALL_OPERATIONS);
      if (!offered.has('create')) continue;
      const base = `/nucleus/v1/${entityPath(declaration)}`;

      it(`creates, reads, lists and updates a ${declaration.name} by PUTting back what it read`, async () => {
        const body = bodyWithDates(store, ids);
        const response = await sdk.send('POST', base, { body: sdk.modelBody('POST', base, body) });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        for (const [key, value] of Object.entries(body)) {
          const canonical = typeof value === 'string' && /T\d\d:/.test(value) ? new Date(value).toISOString() : value;
          assert.deepEqual(response.body[key], canonical, `${key} as sent`);
        }
        const id: string = response.body.id;
        ids[declaration.name] = id;
        created.push({ base, id, name: declaration.name });

        if (offered.has('get')) {
          const read = await sdk.send('GET', `${base}/${id}`);
          assert.equal(read.status, 200);
          assert.deepEqual(read.body, response.body);
        }
        if (offered.has('list')) {
          const query = `filter=${encodeURIComponent(`id==${id}`)}&page=0&size=5&order_by=create_date&ascending=true`;
          const listed = await sdk.send('GET', `${base}?${query}`);
          assert.equal(listed.status, 200, JSON.stringify(listed.body));
          assert.deepEqual(listed.body.content.map((record: Body) => record.id), [id]);
        }
        if (offered.has('update')) {
          const secondary = `sdk-${randomBytes(4).toString('hex')}`;
          const putBack = { ...sdk.roundTrip('PUT', `${base}/${id}`, response.body), secondary_id: secondary };
          const updated = await sdk.send('PUT', `${base}/${id}`, { body: putBack });
          assert.equal(updated.status, 200, JSON.stringify(updated.body));
          const { update_date: _changed, secondary_id: _set, ...unchanged } = response.body;
          const { update_date: _now, secondary_id: kept, ...after } = updated.body;
          assert.equal(kept, secondary);
          assert.deepEqual(after, unchanged, 'a record PUT back as read is unchanged but for the field the program set');
        }
      });
    }

    it('deletes every record it made, newest first, with the body and headers the client sends on a DELETE', async () => {
      for (const { base, id, name: entity } of [...created].reverse()) {
        const store = buildStores(nucleusEntities).find((s) => s.declaration.name === entity)!;
        if (!new Set(store.declaration.operations ?? ALL_OPERATIONS).has('delete')) continue;
        const removed = await sdk.send('DELETE', `${base}/${id}`);
        assert.equal(removed.status, 204, `${entity}: ${JSON.stringify(removed.body)}`);
        assert.equal((await sdk.send('GET', `${base}/${id}`)).status, 404, `${entity} is gone`);
      }
    });

    it('calls every operation of Nucleus, Proton and Electron with answers valid against the specification', async () => {
      const fresh = await startServer();
      try {
        const client = makeDialect({ url: fresh.url, token: () => fresh.adminToken(), specs });
        const report = await runConformance(
          {
            app: fresh.app,
            db: fresh.db,
            request: (method, path, options = {}) => {
              const body = options.body !== null && typeof options.body === 'object' && !Array.isArray(options.body) ? client.modelBody(method, path, options.body as Body) : options.body;
              return client.send(method, path, { ...options, body });
            },
          },
          specs,
          defaultSpecsDir(),
        );
        const invalid = report.operations.filter((o) => o.implemented && o.outcome !== 'valid').map((o) => `${o.method} ${o.path}: ${o.reason}`);
        assert.deepEqual(invalid, []);
        for (const api of report.apis) assert.equal(api.valid, api.operations, `${api.api}: every operation of the specification answered validly`);
      } finally {
        await fresh.close();
      }
    });
  });
}
