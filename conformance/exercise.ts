import { randomBytes } from 'node:crypto';
import type { HttpResult, RequestOptions } from '../test/support/server.ts';
import type { EntityStore } from '../src/platform/entity/store.ts';
import { ALL_OPERATIONS } from '../src/platform/entity/declaration.ts';
import type { Database } from '../src/platform/db/database.ts';
import { listTenants } from '../src/platform/auth/credentials.ts';
import { buildStores } from '../src/platform/entity/registry.ts';
import { nucleusEntities } from '../src/nucleus/entities.ts';
import { buildReport, type ConformanceReport } from './report.ts';
import { creationOrder, requiredReferences, sampleBody } from '../src/platform/entity/samples.ts';
import { pathShape, routePattern, type LoadedSpec, type SpecOperation, type SwaggerSchema } from './spec.ts';
import { idFor, parameterSchema, sampleFromSchema, type IdPool } from './samples.ts';
import { documentedExamples, handWrittenFor, type HandWrittenRequest, type RequestKit } from './requests.ts';
import { isObject, judge, serverMessage, type Judgement } from './judge.ts';
import { OwnSchemas, type OpenApiDocument } from './own-schema.ts';

export type Outcome = 'valid' | 'invalid' | 'not-exercised' | 'not-implemented';

export interface OperationResult {
  api: string;
  method: string;
  path: string;
  operationId?: string;
  implemented: boolean;
  outcome: Outcome;
  /** HTTP status of the exercising request, when one was sent. */
  status?: number;
  /** Why the operation is not valid. */
  reason?: string;
  /** Caveats about how it was judged, e.g. an untyped response in the spec. */
  notes: string[];
}

/** What the run needs of a server: its router (to tell what is implemented) and HTTP access. */
export interface ConformanceServer {
  app: { hasRoute(options: { method: string; url: string }): boolean };
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** The server's database, to seed records of entities the API cannot create. */
  db?: Database;
}

interface BuiltRequest {
  path: string;
  options: RequestOptions;
  /** How the request was made, when that qualifies the verdict. */
  notes?: string[];
}

/** The first static segment after the API's version: "/nucleus/v1/bulk/status/{id}" → "bulk". */
function ownerOf(path: string): string | undefined {
  return /^\/[a-z]+\/v\d+\/([a-z_]+)/.exec(path)?.[1];
}

/** Which CRUD operation of an entity a spec operation is, by method and path shape. */
const CRUD_SHAPES = [
  { kind: 'create', method: 'POST', byId: false },
  { kind: 'list', method: 'GET', byId: false },
  { kind: 'get', method: 'GET', byId: true },
  { kind: 'update', method: 'PUT', byId: true },
  { kind: 'delete', method: 'DELETE', byId: true },
] as const;
type CrudKind = (typeof CRUD_SHAPES)[number]['kind'];

/** One conformance run: exercises every implemented operation once against a live server. */
export class ConformanceRun {
  private readonly results = new Map<SpecOperation, OperationResult>();
  private readonly specOf = new Map<SpecOperation, LoadedSpec>();
  private readonly ids: IdPool = {};
  /** Why an entity has no live record, for the messages of the operations that needed one. */
  private readonly missing: Record<string, string> = {};
  private readonly seeded = new Set<string>();
  /** Example request bodies Deuterium documents, by "METHOD /path/{}". */
  private documented = new Map<string, unknown>();
  /** Id of a record created by a non-CRUD POST, by the collection path it was posted to. */
  private readonly members = new Map<string, string | number>();
  private crud = new Map<EntityStore, Partial<Record<CrudKind, SpecOperation>>>();

  constructor(
    private readonly server: ConformanceServer,
    specs: LoadedSpec[],
    private readonly stores: EntityStore[],
    private readonly own: OwnSchemas,
  ) {
    for (const spec of specs) {
      for (const op of spec.operations) {
        this.specOf.set(op, spec);
        // Fastify's hasRoute matches the route pattern with parameter names ignored, so the
        // spec's {client_id} finds a route declared as :client_id (or under any other name).
        const implemented = server.app.hasRoute({ method: op.method, url: routePattern(op.path) });
        this.results.set(op, {
          api: op.api,
          method: op.method,
          path: op.path,
          operationId: op.operationId,
          implemented,
          // Pessimistic until proven: an implemented operation nothing exercised is not valid.
          outcome: implemented ? 'not-exercised' : 'not-implemented',
          reason: implemented ? 'no request could be made for it' : undefined,
          notes: [],
        });
      }
    }
  }

  async run(): Promise<OperationResult[]> {
    this.documented = await documentedExamples(this.server);
    const ordered = creationOrder(this.stores);
    const crud = this.crudOperations(ordered);
    this.crud = crud;
    for (const store of ordered) await this.create(store, crud.get(store)?.create);
    for (const store of ordered) {
      const ops = crud.get(store) ?? {};
      await this.list(store, ops.list);
      await this.get(store, ops.get);
      await this.update(store, ops.update);
    }
    const claimed = new Set([...crud.values()].flatMap((ops) => Object.values(ops)));
    await this.others([...this.results.keys()].filter((op) => !claimed.has(op) && this.results.get(op)!.implemented));
    for (const store of ordered) await this.remove(store, crud.get(store)?.delete);
    return [...this.results.values()];
  }

  /** The spec operations each entity's five generic routes stand for (implemented ones only). */
  private crudOperations(stores: EntityStore[]): Map<EntityStore, Partial<Record<CrudKind, SpecOperation>>> {
    const index = new Map<string, SpecOperation>();
    for (const [op, result] of this.results) {
      if (op.api === 'nucleus' && result.implemented) index.set(`${op.method} ${pathShape(op.path)}`, op);
    }
    const map = new Map<EntityStore, Partial<Record<CrudKind, SpecOperation>>>();
    for (const store of stores) {
      const base = `/nucleus/v1/${store.declaration.name}`;
      const ops: Partial<Record<CrudKind, SpecOperation>> = {};
      // An operation the declaration does not offer is served by hand-written code with its
      // own meaning (account_permission/{account_id}), so it is exercised as a non-CRUD one.
      const offered = new Set(store.declaration.operations ?? ALL_OPERATIONS);
      for (const shape of CRUD_SHAPES.filter((s) => offered.has(s.kind))) {
        const op = index.get(`${shape.method} ${shape.byId ? `${base}/{}` : base}`);
        if (op) ops[shape.kind] = op;
      }
      map.set(store, ops);
    }
    return map;
  }

  private record(op: SpecOperation, judgement: Judgement, status?: number, exercised = status !== undefined): void {
    const result = this.results.get(op)!;
    result.outcome = judgement.ok ? 'valid' : exercised ? 'invalid' : 'not-exercised';
    result.status = status;
    result.reason = judgement.ok ? undefined : judgement.reason;
    result.notes = judgement.notes;
  }

  private notExercised(op: SpecOperation | undefined, reason: string): void {
    if (op) this.record(op, { ok: false, reason, notes: [] });
  }

  private async send(op: SpecOperation, request: BuiltRequest, notes: string[] = []): Promise<HttpResult<unknown> | undefined> {
    try {
      const response = await this.server.request<unknown>(op.method, request.path, request.options);
      const judgement = judge(this.specOf.get(op)!, this.own, op, response);
      this.record(op, { ...judgement, notes: [...notes, ...judgement.notes] }, response.status);
      return response;
    } catch (error) {
      this.record(op, { ok: false, reason: `request failed: ${(error as Error).message}`, notes: [] }, undefined, true);
      return undefined;
    }
  }

  /**
   * A create body: the engine's sample for the declaration (required fields, required
   * references pointing at live records), plus anything the spec requires that the
   * declaration does not, then checked against the spec so only well-formed requests count.
   */
  private createBody(store: EntityStore, op: SpecOperation | undefined, ids: IdPool = this.ids): { body?: Record<string, unknown>; error?: string } {
    let body: Record<string, unknown>;
    try {
      body = sampleBody(store.declaration, store.schemas.create, ids);
    } catch (error) {
      return { error: `no sample body: ${(error as Error).message}` };
    }
    const bodyParam = op?.parameters.find((p) => p.in === 'body');
    if (!op || !bodyParam?.schema) return { body };
    const spec = this.specOf.get(op)!;
    const definition = spec.deref(bodyParam.schema) ?? {};
    const properties = (definition.properties ?? {}) as Record<string, SwaggerSchema>;
    for (const name of (definition.required ?? []) as string[]) {
      if (!(name in body) && properties[name]) body[name] = sampleFromSchema(spec, properties[name], name, ids);
    }
    const check = spec.validate(bodyParam.schema, body);
    if (!check.valid) return { error: `the sample request does not satisfy the spec's request schema: ${check.errors[0]}` };
    return { body };
  }

  private async create(store: EntityStore, op: SpecOperation | undefined): Promise<void> {
    const name = store.declaration.name;
    if (!op) return this.seed(store);
    const { body, error } = this.createBody(store, op);
    if (!body) {
      this.missing[name] = error!;
      return this.notExercised(op, error!);
    }
    const response = await this.send(op, { path: `/nucleus/v1/${name}`, options: { body } });
    const id = response && response.status >= 200 && response.status < 300 && isObject(response.body) ? response.body.id : undefined;
    // Later operations need a live record even when this response failed its schema check.
    if (typeof id === 'string') this.ids[name] = id;
    else this.missing[name] = `its create answered ${response?.status ?? 'nothing'}${serverMessage(response?.body)}`;
  }

  /**
   * Some entities have no create over the API (records come from other processes), yet their
   * reads are implemented; a record stored through the server's own entity store lets those
   * reads be exercised over HTTP. The create itself is never counted.
   */
  private async seed(store: EntityStore): Promise<void> {
    const name = store.declaration.name;
    const seeded = await this.seedRecord(store, this.ids);
    if (seeded.id) {
      this.ids[name] = seeded.id;
      this.seeded.add(name);
    } else this.missing[name] = seeded.error!;
  }

  private async seedRecord(store: EntityStore, ids: IdPool): Promise<{ id?: string; error?: string }> {
    const db = this.server.db;
    if (!db) return { error: 'the API has no create for it and the server gives no database to seed one' };
    try {
      const [tenant] = await listTenants(db);
      const body = sampleBody(store.declaration, store.schemas.create, ids);
      const record = await db.transaction((tx) => store.create(tx, tenant.id, body));
      return { id: record.id };
    } catch (error) {
      return { error: `the API has no create for it and seeding one failed: ${(error as Error).message}` };
    }
  }

  /** A record made only to be deleted (or pointed at by one), not counted as exercising anything. */
  private async throwaway(store: EntityStore, ids: IdPool): Promise<{ id?: string; error?: string; status?: number }> {
    const op = this.crud.get(store)?.create;
    if (!op) return this.seedRecord(store, ids);
    const { body, error } = this.createBody(store, op, ids);
    if (!body) return { error };
    const created = await this.server.request('POST', `/nucleus/v1/${store.declaration.name}`, { body });
    const id = isObject(created.body) ? created.body.id : undefined;
    if (created.status < 300 && typeof id === 'string') return { id };
    return { status: created.status, error: `create answered ${created.status}${serverMessage(created.body)}` };
  }

  /** Fresh records for each required reference of a store, so its unique keys cannot collide. */
  private async freshReferences(store: EntityStore): Promise<IdPool | { error: string }> {
    const fresh: IdPool = {};
    for (const [, target] of requiredReferences(store.declaration, store.schemas.create)) {
      const dependency = this.stores.find((s) => s.declaration.name === target);
      const made = dependency ? await this.throwaway(dependency, this.ids) : { error: 'not declared' };
      if (!made.id) return { error: `a fresh ${target} to point at: ${made.error}` };
      fresh[target] = made.id;
    }
    return fresh;
  }

  /** Why there is no live record of an entity, for the operations that needed one. */
  private noRecord(name: string): string {
    return `no ${name} record to use: ${this.missing[name] ?? 'none was created'}`;
  }

  private seededNote(name: string): string[] {
    return this.seeded.has(name) ? [`the ${name} record was seeded through the entity store (the API has no create for it)`] : [];
  }

  private async list(store: EntityStore, op: SpecOperation | undefined): Promise<void> {
    if (!op) return;
    const name = store.declaration.name;
    const response = await this.send(op, { path: `/nucleus/v1/${name}`, options: {} }, this.seededNote(name));
    const result = this.results.get(op)!;
    // An empty page validates vacuously; say so rather than let it look like a checked item.
    if (response && result.outcome === 'valid' && isObject(response.body) && Array.isArray(response.body.content) && response.body.content.length === 0) {
      result.notes.push('the list was empty, so no item was checked against the schema');
    }
  }

  private async get(store: EntityStore, op: SpecOperation | undefined): Promise<void> {
    if (!op) return;
    const name = store.declaration.name;
    const id = this.ids[name];
    if (!id) return this.notExercised(op, this.noRecord(name));
    const response = await this.send(op, { path: `/nucleus/v1/${name}/${id}`, options: {} }, this.seededNote(name));
    if (response && this.results.get(op)!.outcome === 'valid' && (response.body as Record<string, unknown>).id !== id) {
      this.record(op, { ok: false, reason: `returned a record with another id than ${id}`, notes: [] }, response.status);
    }
  }

  private async update(store: EntityStore, op: SpecOperation | undefined): Promise<void> {
    if (!op) return;
    const name = store.declaration.name;
    const id = this.ids[name];
    if (!id) return this.notExercised(op, this.noRecord(name));
    // secondary_id is an optional plain string on every entity, so changing it is always legal.
    const change: Record<string, string> = 'secondary_id' in (store.schemas.update.properties ?? {}) ? { secondary_id: `conformance-${randomBytes(4).toString('hex')}` } : {};
    const response = await this.send(op, { path: `/nucleus/v1/${name}/${id}`, options: { body: change } }, this.seededNote(name));
    if (response && this.results.get(op)!.outcome === 'valid' && change.secondary_id !== undefined) {
      const returned = (response.body as Record<string, unknown>).secondary_id;
      if (returned !== change.secondary_id) {
        this.record(op, { ok: false, reason: `the returned record does not carry the update (secondary_id ${JSON.stringify(returned)})`, notes: [] }, response.status);
      }
    }
  }

  /**
   * Deletes a record made for the purpose, which nothing points at, so the server's refusal
   * to delete referenced records does not get in the way and live records stay for the rest.
   * When its unique key is made of references and a date (security_id + date), it collides
   * with the live record; it then points at fresh records instead.
   */
  private async remove(store: EntityStore, op: SpecOperation | undefined): Promise<void> {
    if (!op) return;
    const name = store.declaration.name;
    let made = await this.throwaway(store, this.ids);
    if (!made.id && made.status === 409) {
      const fresh = await this.freshReferences(store);
      if ('error' in fresh) return this.notExercised(op, `no record to delete: ${fresh.error}`);
      made = await this.throwaway(store, { ...this.ids, ...fresh });
    }
    if (!made.id) return this.notExercised(op, `no record to delete: ${made.error}`);
    const response = await this.send(op, { path: `/nucleus/v1/${name}/${made.id}`, options: {} }, this.seededNote(name));
    if (response && this.results.get(op)!.outcome === 'valid') {
      const after = await this.server.request('GET', `/nucleus/v1/${name}/${made.id}`);
      if (after.status !== 404) this.record(op, { ok: false, reason: `the record is still there after DELETE (GET answered ${after.status})`, notes: [] }, response.status);
    }
  }

  /** Non-CRUD operations: creates first so their ids can feed the rest, deletes last. */
  private async others(ops: SpecOperation[]): Promise<void> {
    const rank: Record<string, number> = { POST: 0, GET: 1, PUT: 2, PATCH: 2, DELETE: 3 };
    const ordered = [...ops].sort((a, b) => (rank[a.method] ?? 2) - (rank[b.method] ?? 2));
    for (const op of ordered) {
      const built = await this.buildRequest(op);
      if ('error' in built) {
        this.notExercised(op, built.error);
        continue;
      }
      const response = await this.send(op, built, built.notes);
      // A record made here feeds later ids: /resource/institution → institution_id, and
      // /bulk/{entity_uri} → the bare {id} of /bulk/status/{id}.
      const id = response && isObject(response.body) ? response.body.id : undefined;
      if (op.method === 'POST' && (typeof id === 'string' || typeof id === 'number') && response!.status < 300) this.members.set(op.path, id);
      if (op.method === 'POST' && typeof id === 'string' && response!.status < 300) {
        const statics = op.path.split('/').filter((part) => part && !part.startsWith('{'));
        for (const owner of [statics.at(-1), ownerOf(op.path)]) if (owner) this.ids[owner] ??= id;
      }
    }
  }

  /** What hand-written requests may ask of the run. */
  private kit(): RequestKit {
    const storeOf = (entity: string) => this.stores.find((s) => s.declaration.name === entity);
    return {
      createBody: (entity) => {
        const store = storeOf(entity);
        return store ? this.createBody(store, this.crud.get(store)?.create).body : undefined;
      },
      liveId: (entity) => this.ids[entity],
      throwaway: async (entity) => {
        const store = storeOf(entity);
        return store ? (await this.throwaway(store, this.ids)).id : undefined;
      },
      request: (method, path, body) => this.server.request(method, path, body === undefined ? {} : { body }),
    };
  }

  /**
   * A request from the operation's parameters. The body is, in order of preference: the
   * example Deuterium documents, a hand-written one (requests.ts), one generated from the
   * spec's schema; whichever is used must satisfy the spec's request schema.
   */
  private async buildRequest(op: SpecOperation): Promise<BuiltRequest | { error: string }> {
    const spec = this.specOf.get(op)!;
    const notes: string[] = [];
    const bodyParameter = op.parameters.find((p) => p.in === 'body');
    let documented = this.documented.get(`${op.method} ${pathShape(op.path)}`);
    if (documented !== undefined && bodyParameter?.schema) {
      const check = spec.validate(bodyParameter.schema, documented);
      if (check.valid) notes.push("request body: the example in Deuterium's OpenAPI document");
      else {
        notes.push(`the example in Deuterium's OpenAPI document does not satisfy the spec (${check.errors[0]}), so it was not used`);
        documented = undefined;
      }
    }
    let hand: HandWrittenRequest | undefined;
    const found = documented === undefined ? handWrittenFor(op.method, op.path) : undefined;
    if (found) {
      const made = await found[0](this.kit(), found[1]);
      if ('error' in made) return { error: `hand-written request: ${made.error}` };
      hand = made;
    }

    let path = op.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    let body: unknown;
    for (const parameter of op.parameters) {
      if (parameter.in === 'formData') return { error: 'formData parameters are not supported by the conformance tool' };
      if (parameter.in === 'body') {
        if (!parameter.schema) return { error: `body parameter ${parameter.name} has no schema` };
        body = documented ?? hand?.body;
        if (hand && !spec.validate(parameter.schema, hand.body).valid) {
          // The spec and the hand-written request disagree: send what the spec describes, so
          // the verdict shows how the server treats a request the contract allows.
          notes.push(`the hand-written body does not satisfy the spec (${spec.validate(parameter.schema, hand.body).errors[0]}); a generated body was sent`);
          body = undefined;
        } else if (hand) notes.push('request: hand-written in conformance/requests.ts');
        body ??= sampleFromSchema(spec, parameter.schema, parameter.name, this.ids);
        const check = spec.validate(parameter.schema, body);
        if (!check.valid) return { error: `could not build a request body the spec accepts: ${check.errors[0]}` };
        continue;
      }
      if (parameter.in !== 'path' && !parameter.required) continue;
      const schema = parameterSchema(parameter);
      // A bare {id} names a record of the path's first segment: /bulk/status/{id} → bulk.
      const name = parameter.name === 'id' && ownerOf(op.path) ? `${ownerOf(op.path)}_id` : parameter.name;
      // A path parameter right after a collection we created a record in names that record
      // (/admin/v1/client → /admin/v1/client/{client_id}), unless a live entity fits first.
      const at = op.path.indexOf(`/{${parameter.name}}`);
      const member = parameter.in === 'path' && at > 0 ? this.members.get(op.path.slice(0, at)) : undefined;
      const candidates = [hand?.params?.[parameter.name], idFor(name, this.ids), member];
      const value = candidates.find((c) => c !== undefined && spec.validate(schema, c).valid) ?? sampleFromSchema(spec, schema, name, this.ids);
      if (value === undefined || !spec.validate(schema, value).valid) return { error: `no valid value for ${parameter.in} parameter ${parameter.name}` };
      const text = Array.isArray(value) ? value.join(',') : String(value);
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(text));
      else if (parameter.in === 'query') query.set(parameter.name, text);
      else headers[parameter.name] = text;
    }
    // Without a body the hand-written part is the path (and its prepared records): say so too.
    if (hand && !bodyParameter) notes.push('request: hand-written in conformance/requests.ts');
    const search = query.toString();
    return { path: search ? `${path}?${search}` : path, options: { body, headers }, notes };
  }
}

/** Runs the whole check against a started server (the CLI and the test suite share it). */
export async function runConformance(server: ConformanceServer, specs: LoadedSpec[], specsDir: string): Promise<ConformanceReport> {
  // The document the server publishes, not one built here, so the judge reads what clients read.
  const published = await server.request<OpenApiDocument>('GET', '/openapi.json');
  if (published.status !== 200) throw new Error(`GET /openapi.json answered ${published.status}`);
  const own = new OwnSchemas(published.body);
  // The same declarations the server was built from, so new entities are picked up unasked.
  const results = await new ConformanceRun(server, specs, buildStores(nucleusEntities), own).run();
  return buildReport(specsDir, specs, results);
}
