import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fastJsonStringify from 'fast-json-stringify';
import type { RouteOptions } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { bodyAjv, paramAjv } from '../../../src/platform/http/validation.ts';
import { freshDatabase } from '../../support/server.ts';

/**
 * Routes compile their schemas on first use (see validation.ts); this compiles every one of
 * them, so a schema that ajv or fast-json-stringify cannot take fails here and not on a
 * caller's request.
 */
describe('every route schema compiles', () => {
  it('request validators and response serializers', async () => {
    const routes: RouteOptions[] = [];
    const { db, drop } = await freshDatabase();
    const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, db, onRoute: (route) => routes.push(route) });
    try {
      await app.ready();
      const failures: string[] = [];
      let compiled = 0;
      for (const route of routes) {
        const schema = route.schema as Record<string, unknown> | undefined;
        if (!schema) continue;
        const where = `${String(route.method)} ${route.url}`;
        for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
          if (!schema[part]) continue;
          try {
            (part === 'body' ? bodyAjv : paramAjv).compile(schema[part] as object);
            compiled++;
          } catch (error) {
            failures.push(`${where} ${part}: ${(error as Error).message}`);
          }
        }
        for (const [status, response] of Object.entries((schema.response ?? {}) as Record<string, object>)) {
          try {
            fastJsonStringify(response as Parameters<typeof fastJsonStringify>[0]);
            compiled++;
          } catch (error) {
            failures.push(`${where} response ${status}: ${(error as Error).message}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(routes.length > 500, `only ${routes.length} routes seen`);
      assert.ok(compiled > 1000, `only ${compiled} schemas compiled`);
    } finally {
      await app.close();
      await db.close();
      await drop();
    }
  });
});
