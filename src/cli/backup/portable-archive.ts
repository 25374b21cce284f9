import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import type pg from 'pg';
import { nucleusEntities } from '../../nucleus/entities.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { allMigrations, prepareDatabase } from '../../platform/db/prepare.ts';
import { CliError } from '../errors.ts';

/**
 * Deuterium's own archive, for when no pg_dump can dump the server (the embedded one is
 * PostgreSQL 18, whose pg_dump few systems ship yet). It holds rows, not schema: the schema is
 * the one this version of Deuterium makes, so the archive records its migrations and restores
 * only where they are the same. A gzip of lines, each a tag and JSON:
 *
 *   H {"format", "version", "server_version", "created_at", "migrations"}
 *   T {"table", "columns"}        then one line per row of that table:
 *   R {"column": value, ...}      row_to_json's text, never parsed by Node (numbers stay exact)
 *   S {"sequence", "last_value", "is_called"}
 *   E {"tables", "rows"}          the end: an archive without it was cut short
 */
const FORMAT = 'deuterium-portable-backup';
const VERSION = 1;
const FETCH_ROWS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;

interface Header {
  format: string;
  version: number;
  server_version: string;
  created_at: string;
  migrations: number[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables and sequences of the schema Deuterium uses, as it was at the snapshot. */
async function relations(client: pg.Client, kinds: string): Promise<string[]> {
  const rows = (await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = ANY ($1) ORDER BY c.relname`,
    [kinds.split('')],
  )).rows;
  return rows.map((row) => row.relname);
}

/** The columns a row is written with: generated ones are computed again on insert. */
async function storedColumns(client: pg.Client, table: string): Promise<string[] | undefined> {
  const rows = (await client.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [quote(table)],
  )).rows;
  return rows.length > 0 ? rows.map((row) => row.attname) : undefined;
}

export async function dumpPortable(client: pg.Client, file: string): Promise<{ tables: number; rows: number }> {
  const gzip = zlib.createGzip();
  const written = finished(gzip.pipe(fs.createWriteStream(file, { flags: 'wx' })));
  // A failed write (a full disk) is answered at the next line, not as an unhandled rejection.
  written.catch(() => {});
  const line = async (tag: string, json: string) => {
    if (!gzip.write(`${tag} ${json}\n`)) await Promise.race([once(gzip, 'drain'), written]);
  };
  // One snapshot for every table, as pg_dump takes, while the servers go on writing.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let rows = 0;
  try {
    const migrated = await client.query<{ version: number }>(
      `SELECT version FROM schema_migration ORDER BY version`,
    ).catch(() => {
      throw new CliError('This database has no schema_migration table: it is not a Deuterium database.');
    });
    const { server_version } = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0];
    const header: Header = { format: FORMAT, version: VERSION, server_version, created_at: new Date().toISOString(), migrations: migrated.rows.map((r) => r.version) };
    await line('H', JSON.stringify(header));
    const tables = await relations(client, 'rp');
    for (const table of tables) {
      const columns = (await storedColumns(client, table))!;
      await line('T', JSON.stringify({ table, columns }));
      await client.query(`DECLARE archive NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM (SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}) t`);
      for (;;) {
        const fetched = (await client.query<{ r: string }>(`FETCH ${FETCH_ROWS} FROM archive`)).rows;
        for (const { r } of fetched) await line('R', r);
        rows += fetched.length;
        if (fetched.length < FETCH_ROWS) break;
      }
      await client.query('CLOSE archive');
    }
    for (const sequence of await relations(client, 'S')) {
      const [state] = (await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${quote(sequence)}`)).rows;
      await line('S', JSON.stringify({ sequence, ...state }));
    }
    await line('E', JSON.stringify({ tables: tables.length, rows }));
    await client.query('COMMIT');
    gzip.end();
    await written;
    return { tables: tables.length, rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    gzip.destroy();
    await written.catch(() => {});
    throw error;
  }
}

/** The archive's lines, tag and JSON text apart. */
async function* archiveLines(file: string): AsyncGenerator<{ tag: string; json: string }> {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  try {
    for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
      yield { tag: text.slice(0, 1), json: text.slice(2) };
    }
  } catch (error) {
    throw new CliError(`${file} is damaged or cut short (${(error as Error).message})`);
  }
}

function checkHeader(json: string | undefined): Header {
  const header = json === undefined ? undefined : (JSON.parse(json) as Header);
  if (header?.format !== FORMAT) throw new CliError('This file is neither a pg_dump archive nor a Deuterium backup.');
  if (header.version !== VERSION) throw new CliError(`This backup is of format version ${header.version}; this Deuterium reads version ${VERSION}.`);
  const ours = allMigrations.map((m) => m.version).sort((a, b) => a - b);
  const missing = ours.filter((v) => !header.migrations.includes(v));
  const unknown = header.migrations.filter((v) => !ours.includes(v));
  if (missing.length > 0 || unknown.length > 0) {
    throw new CliError(
      `This backup was made by another version of Deuterium (its schema ${unknown.length > 0 ? `has migrations ${unknown.join(', ')} that this one lacks` : `lacks migrations ${missing.join(', ')}`}). ` +
        'Restore it with the version that made it, then start the version you want: it migrates the database.',
    );
  }
  return header;
}

/**
 * Loads an archive into an empty database: this version's schema first, then every row in one
 * transaction, with triggers and foreign keys held off (the rows were consistent in the
 * snapshot, and the row counters they would bump are restored as they were).
 */
export async function restorePortable(client: pg.Client, url: string, file: string): Promise<{ tables: number; rows: number }> {
  const reading = archiveLines(file)[Symbol.asyncIterator]();
  const first = await reading.next();
  checkHeader(first.done || first.value.tag !== 'H' ? undefined : first.value.json);

  const db = await openDatabase(url, 2);
  try {
    await prepareDatabase(db, nucleusEntities);
  } finally {
    await db.close();
  }

  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL session_replication_role = replica').catch((error: Error) => {
      throw new CliError(`Restoring this archive needs a superuser (to load rows with triggers held off): ${error.message}`);
    });
    const tables = await relations(client, 'rp');
    await client.query(`TRUNCATE ${tables.map(quote).join(', ')}`);
    let insert: string | undefined;
    let batch: string[] = [];
    let batchBytes = 0;
    let rows = 0;
    let tableCount = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await client.query(insert!, [`[${batch.join(',')}]`]);
      rows += batch.length;
      batch = [];
      batchBytes = 0;
    };
    let end: { tables: number; rows: number } | undefined;
    for (;;) {
      const next = await reading.next();
      if (next.done) break;
      const { tag, json } = next.value;
      if (tag === 'R') {
        batch.push(json);
        batchBytes += json.length;
        if (batchBytes >= BATCH_BYTES) await flush();
      } else if (tag === 'T') {
        await flush();
        const { table, columns } = JSON.parse(json) as { table: string; columns: string[] };
        const known = await storedColumns(client, table);
        const lost = known ? columns.filter((c) => !known.includes(c)) : columns;
        if (lost.length > 0) throw new CliError(`This Deuterium has no ${known ? `column ${lost.join(', ')} in table` : 'table'} ${table}, which the backup holds.`);
        const list = columns.map(quote).join(', ');
        insert = `INSERT INTO ${quote(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`;
        tableCount++;
      } else if (tag === 'S') {
        await flush();
        const { sequence, last_value, is_called } = JSON.parse(json) as { sequence: string; last_value: string; is_called: boolean };
        await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [quote(sequence), last_value, is_called]);
      } else if (tag === 'E') {
        await flush();
        end = JSON.parse(json) as { tables: number; rows: number };
      } else {
        throw new CliError(`${file} is damaged: a line tagged "${tag}".`);
      }
    }
    if (!end) throw new CliError(`${file} ends early: the backup was cut short.`);
    if (end.rows !== rows || end.tables !== tableCount) throw new CliError(`${file} is damaged: it lists ${end.rows} rows, and holds ${rows}.`);
    await client.query('COMMIT');
    return end;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
