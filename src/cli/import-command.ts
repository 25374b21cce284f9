import { randomUUID } from 'node:crypto';
import { nucleusEntities } from '../nucleus/entities.ts';
import { buildWritePath } from '../write-path.ts';
import { OPERATOR } from '../platform/audit/actor.ts';
import { recordAudit } from '../platform/audit/admin-audit.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import { Importer } from '../platform/import/importer.ts';
import { RecordWriter } from '../platform/import/record-writer.ts';
import { Progress, reportLines } from '../platform/import/report.ts';
import { SourceError, SourceReader } from '../platform/import/source-reader.ts';
import { noPositionals, stringOption, type Command, type ParsedValues } from './command.ts';
import { requireTenant } from './credential-commands.ts';
import { CliError, usageError } from './errors.ts';

const DEFAULT_CONCURRENCY = 2;
const MAX_CONCURRENCY = 16;
const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 10_000;

function required(values: ParsedValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw usageError(`Missing --${name}`);
  return value;
}

function wholeNumber(values: ParsedValues, name: string, fallback: number, max: number): number {
  const given = stringOption(values, name);
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > max) throw usageError(`--${name} must be a whole number from 1 to ${max}, got "${given}"`);
  return n;
}

/** The source as checkpoints name it: the same server however its URL was typed. */
function sourceKey(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw usageError(`--from must be a URL such as https://api.hydrogenplatform.com, got "${given}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError('--from must be an http or https URL');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export const importCommand: Command = {
  options: {
    from: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    tenant: { type: 'string' },
    concurrency: { type: 'string' },
    'page-size': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  parse(positionals, values) {
    noPositionals(positionals);
    const source = sourceKey(required(values, 'from'));
    const clientId = required(values, 'client-id');
    const clientSecret = required(values, 'client-secret');
    const tenantRef = required(values, 'tenant');
    const concurrency = wholeNumber(values, 'concurrency', DEFAULT_CONCURRENCY, MAX_CONCURRENCY);
    const pageSize = wholeNumber(values, 'page-size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const dryRun = values['dry-run'] === true;
    return async ({ db, io, json, config }) => {
      const tenant = await requireTenant(db, tenantRef);
      const { stores, writer: entityWriter } = buildWritePath(db, config);
      const runId = `import_${randomUUID()}`;
      // The import actor: the operator with the database, acting as the tenant's super-admin.
      const auth: AuthContext = { tenantId: tenant.id, credentialId: 'import', clientId: null, authorities: ['ROLE_SUPER_ADMIN'], scopes: [] };
      const writer = new RecordWriter(db, entityWriter, stores, auth, { tenantId: tenant.id, source, runId, dryRun });
      const progress = new Progress((line) => io.err(line));
      const reader = new SourceReader(source, clientId, clientSecret, undefined, (why, ms) => progress.wait(why, ms));
      io.err(`${dryRun ? 'Dry run: reading' : 'Importing'} ${source} into tenant "${tenant.name}" (${concurrency} at a time, pages of ${pageSize})`);
      const importer = new Importer(db, nucleusEntities, reader, writer, progress, { tenantId: tenant.id, source, dryRun, concurrency, pageSize });
      let report;
      try {
        // Two runs at once would read the same checkpoints and both write and audit each record; a dry run writes nothing.
        report = dryRun
          ? await importer.run()
          : await db.withAdvisoryLock(`import:${tenant.id}:${source}`, () => importer.run(), () => {
              throw new CliError(`Another import from ${source} into tenant "${tenant.name}" is running; run this once it has ended (it goes on from where that one stops).`);
            });
      } catch (error) {
        if (error instanceof SourceError) throw new CliError(`${error.message}\nWhat was written is kept; run the same command again to go on from there.`);
        throw error;
      }
      if (!dryRun) {
        const totals = Object.fromEntries(report.entities.filter((e) => e.created + e.updated > 0).map((e) => [e.entity, e.created + e.updated]));
        await recordAudit(db, tenant.id, OPERATOR, {
          action: 'tenant_imported',
          details: { source, run: runId, written: totals, refused: report.refused.length, held_back: report.dangling.length + report.waiting.length },
        });
      }
      if (json) io.out(JSON.stringify(report, null, 2));
      else for (const line of reportLines(report)) io.out(line);
    };
  },
};
