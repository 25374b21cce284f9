import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dumpEmbedded, openDatabase } from '../../src/platform/db/database.ts';
import { prepareDatabase } from '../../src/platform/db/prepare.ts';
import { nucleusEntities } from '../../src/nucleus/entities.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cacheDir = path.join(os.tmpdir(), 'deuterium-test-databases');

/** Every file under src/, so a prepared template is never older than the code that prepares it. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const files = fs.readdirSync(path.join(projectRoot, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  const manifest = path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version as string;
}

/** Templates of earlier versions of src/ would pile up at some 50 MB each; an hour is past any running suite. */
function forgetOlderTemplates(kept: string): void {
  const family = path.basename(kept).split('-')[0];
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (file === kept || !name.startsWith(`${family}-`)) continue;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
  }
}

async function made(file: string, make: () => Promise<Blob>): Promise<Blob> {
  if (!fs.existsSync(file)) {
    const data = Buffer.from(await (await make()).arrayBuffer());
    fs.mkdirSync(cacheDir, { recursive: true });
    // Test files run in parallel processes; a rename is atomic, so none reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
    forgetOlderTemplates(file);
  }
  return new Blob([fs.readFileSync(file)]);
}

let empty: Promise<Blob> | undefined;
let prepared: Promise<Blob> | undefined;

/**
 * PGlite's initdb takes seconds, and every test file starts several databases; they start instead
 * from a dump made once per PGlite version (empty) or once per version of src/ (migrated, with
 * the entity tables), kept in the system's temporary directory across runs.
 */
export function pgliteTemplate(kind: 'empty' | 'prepared'): Promise<Blob> {
  if (kind === 'empty') {
    empty ??= made(path.join(cacheDir, `empty-${pgliteVersion()}.tar`), async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      try {
        return await dumpEmbedded(db);
      } finally {
        await db.close();
      }
    });
    return empty;
  }
  prepared ??= made(path.join(cacheDir, `prepared-${pgliteVersion()}-${sourceHash()}.tar`), async () => {
    const db = await openDatabase({ dataDir: 'memory://', pgliteStartingData: await pgliteTemplate('empty') });
    try {
      await prepareDatabase(db, nucleusEntities);
      return await dumpEmbedded(db);
    } finally {
      await db.close();
    }
  });
  return prepared;
}

let postgres: Promise<string> | undefined;

/**
 * The PostgreSQL twin: a database migrated once per version of src/, which test databases are
 * copied from with CREATE DATABASE ... TEMPLATE. An advisory lock keeps parallel test files from
 * building it twice; it is built under another name and renamed, so nobody copies it half made.
 */
export function postgresTemplate(base: string): Promise<string> {
  postgres ??= (async () => {
    const name = `deuterium_template_${sourceHash()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(724118003)');
      const [found] = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows;
      if (!found) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        const url = new URL(base);
        url.pathname = `/${building}`;
        const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
        try {
          await prepareDatabase(db, nucleusEntities);
        } finally {
          await db.close();
        }
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await admin.end();
    }
    return name;
  })();
  return postgres;
}
