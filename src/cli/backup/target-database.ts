import pg from 'pg';
import { CliError } from '../errors.ts';

/** A connection of the backup tool's own, named so that it is told apart from any server's. */
export async function connect(url: string, purpose: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: `deuterium ${purpose}` });
  await client.connect();
  return client;
}

export async function serverMajor(client: pg.Client): Promise<number> {
  const [{ server_version_num }] = (await client.query<{ server_version_num: string }>('SHOW server_version_num')).rows;
  return Math.floor(Number(server_version_num) / 10000);
}

// Objects of the database's own, leaving out the system's and those an extension brought.
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_FROM_EXTENSION = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/** What the database already holds, as "schema.name" of a few tables, functions or types. */
async function contents(client: pg.Client): Promise<string[]> {
  const rows = (await client.query<{ name: string }>(`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')}
    UNION ALL
    SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE ${USER_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_proc', 'p.oid')}
    UNION ALL
    SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE ${USER_SCHEMAS} AND t.typtype IN ('e', 'd', 'r', 'm') AND ${NOT_FROM_EXTENSION('pg_type', 't.oid')}
    LIMIT 5`)).rows;
  return rows.map((row) => row.name);
}

/**
 * Refuses a restore while anything else is connected to the database: a server would go on
 * writing, and caching what it read, under the restore.
 */
export async function requireNoOtherSessions(client: pg.Client): Promise<void> {
  const others = (await client.query<{ who: string }>(`
    SELECT coalesce(nullif(application_name, ''), 'pid ' || pid) AS who FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`)).rows;
  if (others.length === 0) return;
  throw new CliError(
    `${others.length} other session(s) are connected to this database (${[...new Set(others.map((o) => o.who))].slice(0, 3).join(', ')}). ` +
      'Stop every Deuterium server that uses it, then restore.',
  );
}

/**
 * Leaves the database empty for a restore: refuses one that holds anything, unless `force`
 * asks to drop it all first, since a restore over existing rows would merge two histories.
 */
export async function requireEmpty(client: pg.Client, force: boolean): Promise<void> {
  const found = await contents(client);
  if (found.length === 0) return;
  if (!force) {
    throw new CliError(
      `The database is not empty (it holds ${found.join(', ')}${found.length === 5 ? '…' : ''}). ` +
        'Restore into an empty database, or add --force to drop everything in this one first.',
    );
  }
  await dropEverything(client);
}

/**
 * Drops every schema but public, and everything in public; the schema itself stays, with its
 * owner and grants, as pg_dump expects of a database to restore into.
 */
async function dropEverything(client: pg.Client): Promise<void> {
  const statements = (await client.query<{ statement: string }>(`
    SELECT format('DROP SCHEMA %I CASCADE', n.nspname) AS statement FROM pg_namespace n
     WHERE ${USER_SCHEMAS} AND n.nspname <> 'public' AND ${NOT_FROM_EXTENSION('pg_namespace', 'n.oid')}
    UNION ALL
    SELECT format('DROP %s IF EXISTS %s CASCADE',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                                 WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                  c.oid::regclass)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')}
       -- A column's own sequence (identity, serial) goes with its table, and cannot go before it.
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('i', 'a'))
    UNION ALL
    SELECT format('DROP %s IF EXISTS %s CASCADE', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND ${NOT_FROM_EXTENSION('pg_proc', 'p.oid')}
    UNION ALL
    SELECT format('DROP %s IF EXISTS %s CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm') AND ${NOT_FROM_EXTENSION('pg_type', 't.oid')}`)).rows;
  await client.query('BEGIN');
  try {
    for (const { statement } of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
