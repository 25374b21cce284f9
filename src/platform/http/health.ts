import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import { allMigrations } from '../db/prepare.ts';
import type { ServerProcesses } from '../process/primary.ts';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

interface Part {
  ready: boolean;
  detail: string;
}

const partSchema = {
  type: 'object',
  properties: { ready: { type: 'boolean' }, detail: { type: 'string' } },
  required: ['ready', 'detail'],
} as const;

const readinessSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    not_ready: { type: 'array', items: { type: 'string', enum: ['database', 'migrations', 'workers'] }, description: 'The parts that are not ready' },
    parts: {
      type: 'object',
      properties: { database: partSchema, migrations: partSchema, workers: partSchema },
      required: ['database', 'migrations', 'workers'],
    },
  },
  required: ['status', 'not_ready', 'parts'],
} as const;

async function databasePart(db: Database): Promise<Part> {
  await db.query('SELECT 1');
  return { ready: true, detail: 'reachable' };
}

/** Every migration this version knows is applied: a server started against an older schema, or one being migrated, is not ready. */
async function migrationsPart(db: Database): Promise<Part> {
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migration');
  const applied = new Set(rows.map((row) => Number(row.version)));
  const missing = allMigrations.filter((migration) => !applied.has(migration.version)).map((migration) => migration.version);
  if (missing.length > 0) return { ready: false, detail: `not applied: ${missing.join(', ')}` };
  return { ready: true, detail: `${allMigrations.length} applied` };
}

async function workersPart(processes: ServerProcesses): Promise<Part> {
  const { configured, listening } = await processes.workers();
  return { ready: listening >= configured, detail: `${listening} of ${configured} listening` };
}

/** A failed check: the part is not ready, and why (a database that refuses, a primary that does not answer). */
function unknown(error: unknown): Part {
  return { ready: false, detail: error instanceof Error ? error.message : String(error) };
}

/** Liveness and readiness for orchestrators; neither needs a token. */
export const healthRoutes: FastifyPluginAsync<{ db: Database; processes: ServerProcesses }> = async (app, { db, processes }) => {
  app.get('/health', { schema: { tags: ['Operations'], summary: 'Process is up', response: { 200: statusSchema } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Whether the server can serve: database, migrations, workers',
        description:
          'Answers 200 when the database answers, every migration of this version is applied and every configured server process listens; ' +
          'else 503, naming the parts that are not in not_ready. Each part says what was found in detail.',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (request, reply) => {
      const database = await databasePart(db).catch(unknown);
      const migrations = database.ready ? await migrationsPart(db).catch(unknown) : { ready: false, detail: 'the database is unreachable' };
      const workers = await workersPart(processes).catch(unknown);
      const parts = { database, migrations, workers };
      const notReady = Object.entries(parts).filter(([, part]) => !part.ready).map(([name]) => name);
      if (notReady.length === 0) return { status: 'ready', not_ready: [], parts };
      request.log.warn({ not_ready: notReady, parts }, 'readiness check failed');
      return reply.code(503).send({ status: 'not ready', not_ready: notReady, parts });
    },
  );
};
