import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { nucleusEntities } from '../../src/nucleus/entities.ts';
import { buildStores } from '../../src/platform/entity/registry.ts';
import { creationOrder, sampleBody, sampleValue } from '../../src/platform/entity/samples.ts';
import { ALL_OPERATIONS, entityPath, type EntityDeclaration } from '../../src/platform/entity/declaration.ts';
import { plain, type JsonSchema } from '../../src/platform/entity/schemas.ts';

type Body = Record<string, unknown>;

function ownProperties(declaration: EntityDeclaration): Record<string, JsonSchema> {
  return (plain(declaration.schema) as unknown as JsonSchema).properties ?? {};
}

/**
 * A plain text or number field of the entity's own and a new value for it: an optional one
 * when there is one, else a required one, else the secondary_id every entity has.
 */
function updatableField(declaration: EntityDeclaration): [string, unknown] {
  const required = new Set((plain(declaration.schema) as unknown as JsonSchema).required ?? []);
  const plainFields = Object.entries(ownProperties(declaration)).filter(
    ([name, schema]) => !declaration.secrets?.includes(name) && !schema.enum && !schema.format && !schema.pattern,
  );
  const [name, schema] =
    plainFields.find(([n, s]) => !required.has(n) && ['string', 'number', 'integer'].includes(String(s.type))) ??
    plainFields.find(([, s]) => ['string', 'number', 'integer'].includes(String(s.type))) ??
    ['secondary_id', { type: 'string' }];
  return [name, schema.type === 'string' ? 'changed by test' : 42];
}

/** A body whose reference at `path` names a record that does not exist, and the field the error must name. */
function withBadReference(declaration: EntityDeclaration, body: Body, path: string): [Body, string] | undefined {
  const missing = randomUUID();
  if (!path.includes('[]')) return [{ ...body, [path]: missing }, path];
  const [list, field, ...deeper] = path.split('[].');
  if (deeper.length > 0) return undefined;
  const items = ownProperties(declaration)[list]?.items;
  if (!items) return undefined;
  const item = { ...(sampleValue(items) as Body), [field]: missing };
  return [{ ...body, [list]: [item] }, `${list}[0].${field}`];
}

describe('every Nucleus entity through the generic engine', () => {
  let server: TestServer;
  let otherToken: string;
  /** One kept record per entity, for later entities to point at. */
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    otherToken = (await server.otherTenant()).token;
  });
  after(() => server.close());

  for (const store of creationOrder(buildStores(nucleusEntities))) {
    const { declaration, schemas } = store;
    const offered = new Set(declaration.operations ?? ALL_OPERATIONS);
    const base = `/nucleus/v1/${entityPath(declaration)}`;

    it(declaration.name, async () => {
      if (!offered.has('create')) return readOnly();
      const body = sampleBody(declaration, schemas.create, ids);
      const created = await server.request('POST', base, { body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (const [key, value] of Object.entries(body)) assert.deepEqual(created.body[key], value, key);
      assert.match(created.body.id, /^[0-9a-f-]{36}$/);
      assert.ok(created.body.create_date && created.body.update_date);
      const id: string = created.body.id;
      ids[declaration.name] = id;

      if (offered.has('get')) {
        const fetched = await server.request('GET', `${base}/${id}`);
        assert.equal(fetched.status, 200);
        assert.deepEqual(fetched.body, created.body);
        assert.equal((await server.request('GET', `${base}/${id}`, { token: otherToken })).status, 404, 'another tenant');
      }

      if (offered.has('list')) {
        const listed = await server.request('GET', `${base}?filter=${encodeURIComponent(`id==${id}`)}`);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        assert.deepEqual(listed.body.content, [created.body]);
        const foreign = await server.request('GET', `${base}?filter=${encodeURIComponent(`id==${id}`)}`, { token: otherToken });
        assert.equal(foreign.body.total_elements, 0, 'another tenant');
      }

      if (offered.has('update')) {
        const [name, value] = updatableField(declaration);
        const updated = await server.request('PUT', `${base}/${id}`, { body: { [name]: value } });
        assert.equal(updated.status, 200, JSON.stringify(updated.body));
        const { update_date: _before, ...unchanged } = created.body;
        const { update_date: _after, ...after } = updated.body;
        assert.deepEqual(after, { ...unchanged, [name]: value });
      }

      // Unknown fields are ignored as Hydrogen ignored them, and named; strict servers refuse them (lenient-input.test.ts).
      if (offered.has('update')) {
        const unknown = await server.request('PUT', `${base}/${id}`, { body: { no_such_field: 'x' } });
        assert.equal(unknown.status, 200, JSON.stringify(unknown.body));
        assert.equal(unknown.headers.get('deuterium-ignored-fields'), 'no_such_field');
        assert.equal('no_such_field' in unknown.body, false);
      }

      const [firstRequired] = schemas.create.required ?? [];
      if (firstRequired) {
        const { [firstRequired]: _dropped, ...incomplete } = body;
        const missing = await server.request('POST', base, { body: incomplete });
        assert.equal(missing.status, 400);
        assert.equal(missing.body.field, firstRequired);
      }

      const textField = Object.entries(ownProperties(declaration)).find(([, s]) => s.type === 'string')?.[0];
      if (textField) {
        const wrongType = await server.request('POST', base, { body: { ...body, [textField]: 12345 } });
        assert.equal(wrongType.status, 400);
        assert.equal(wrongType.body.field, textField);
      }

      for (const path of Object.keys(declaration.references ?? {})) {
        const bad = withBadReference(declaration, body, path);
        if (!bad) continue;
        const refused = await server.request('POST', base, { body: bad[0] });
        assert.equal(refused.status, 400, `${path}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.field, bad[1]);
      }

      for (const fields of declaration.unique ?? []) {
        const twin = { ...sampleBody(declaration, schemas.create, ids), ...Object.fromEntries(fields.map((f) => [f, body[f]])) };
        assert.equal((await server.request('POST', base, { body: twin })).status, 409, fields.join(', '));
      }

      if (offered.has('delete')) {
        assert.equal((await server.request('DELETE', `${base}/${id}`)).status, 204);
        if (offered.has('get')) assert.equal((await server.request('GET', `${base}/${id}`)).status, 404);
        // Kept again, for the entities that point at this one; the same body, as unique keys are free again.
        const again = await server.request('POST', base, { body });
        assert.equal(again.status, 201);
        ids[declaration.name] = again.body.id;
      }
    });

    /** Entities whose records the server writes itself: only their reads are served here. */
    async function readOnly(): Promise<void> {
      assert.ok(offered.has('list'), `${declaration.name} offers neither create nor list`);
      const listed = await server.request('GET', base);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.content, []);
      if (offered.has('get')) assert.equal((await server.request('GET', `${base}/${randomUUID()}`)).status, 404);
    }
  }
});
