import { runCli } from '../src/cli/run.ts';
import { SourceReader } from '../src/platform/import/source-reader.ts';
import { addRows } from '../test/support/import-source.ts';
import { durableStorage } from '../test/support/process.ts';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer } from '../test/support/server.ts';
import type { BenchFigure } from './figure.ts';

/** Records in the source; BENCH_IMPORT_RECORDS makes a quicker run. */
const RECORDS = Number(process.env.BENCH_IMPORT_RECORDS ?? 100_000);
const PAGE_SIZE = 1000;

/**
 * npm run bench -- import: `deuterium import` of a source tenant holding RECORDS securities
 * (loaded by SQL) into an empty tenant, beside the time it takes only to read the same pages
 * from the source. The target: minutes, not hours (10 minutes for 100,000).
 */
export async function importBench(): Promise<BenchFigure[]> {
  const source = await startServer();
  const target = await durableStorage();
  try {
    const [{ id }] = await source.db.query<{ id: string }>('SELECT id FROM tenant');
    await addRows(source, 'security', RECORDS, id);
    const reader = new SourceReader(source.url, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET);
    const readStart = performance.now();
    for (let page = 0; !(await reader.page('security', page, PAGE_SIZE, null)).last; page++);
    const readMs = performance.now() - readStart;

    const quiet = { out: () => {}, err: () => {} };
    if ((await runCli(['tenant', 'create', 'bench'], quiet, target.env)) !== 0) throw new Error('tenant create failed');
    const args = ['import', '--from', source.url, '--client-id', ADMIN_CLIENT_ID, '--client-secret', ADMIN_CLIENT_SECRET, '--tenant', 'bench'];
    const importStart = performance.now();
    if ((await runCli([...args, '--page-size', String(PAGE_SIZE)], quiet, target.env)) !== 0) throw new Error('import failed');
    const importMs = performance.now() - importStart;
    return [
      {
        name: `deuterium import of ${RECORDS} records (${Math.round(RECORDS / (importMs / 1000))}/s)`,
        ms: importMs,
        baselineName: `reading their ${Math.ceil(RECORDS / PAGE_SIZE)} pages from the source`,
        baselineMs: readMs,
        targetMs: (RECORDS / 100_000) * 600_000,
      },
    ];
  } finally {
    await source.close();
    await target.dispose();
  }
}
