import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/platform/db/database.ts';
import { prepareDatabase } from '../../src/platform/db/prepare.ts';
import { nucleusEntities } from '../../src/nucleus/entities.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

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

let postgres: Promise<string> | undefined;

/**
 * A database migrated once per version of src/, which test databases are copied from with
 * CREATE DATABASE ... TEMPLATE. An advisory lock keeps parallel test files from
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
        const db = await openDatabase(url.toString());
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
