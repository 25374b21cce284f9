import { startServer, type TestServer } from '../test/support/server.ts';
import { clientFilters, loadClients } from '../test/support/many-clients.ts';
import { type BenchFigure, median } from './figure.ts';

/** How many clients the filters are timed over; BENCH_LIST_CLIENTS makes a quicker run. */
const CLIENTS = Number(process.env.BENCH_LIST_CLIENTS ?? 1_000_000);
const SAMPLES = 200;

/** Latencies of one list request made one after another, after a warm-up; checks each answer. */
async function latencies(server: TestServer, path: string, total: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < SAMPLES + 20; run++) {
    const start = performance.now();
    const answer = await server.request<{ total_elements: number }>('GET', path);
    const ms = performance.now() - start;
    if (answer.status !== 200 || answer.body.total_elements !== total) {
      throw new Error(`${path}: ${answer.status} with total ${answer.body.total_elements}, expected ${total}`);
    }
    if (run >= 20) times.push(ms);
  }
  return times;
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1];
}

/**
 * npm run bench -- list-scale: an unfiltered page of 25 clients with its total_elements as the
 * tenant grows from 500 to 100,000 clients (target: at most twice the time at 500), then the
 * filters firms list clients by over 1,000,000 (target: p99 within 20 ms). Clients are
 * loaded by SQL in bulk, as test/support/many-clients.ts describes.
 */
export async function listScaleBench(): Promise<BenchFigure[]> {
  const server = await startServer();
  try {
    const [{ id: tenantId }] = await server.db.query<{ id: string }>('SELECT id FROM tenant');
    const page = (count: number) => latencies(server, '/nucleus/v1/client', count);
    await loadClients(server.db, tenantId, 1, 500);
    const at500 = await page(500);
    await loadClients(server.db, tenantId, 501, 100_000);
    const at100k = await page(100_000);
    const figures: BenchFigure[] = [
      {
        name: 'unfiltered page at 100,000 clients, median (target: ratio <= 2)',
        ms: median(at100k),
        baselineName: 'the same page at 500 clients',
        baselineMs: median(at500),
        targetMs: 2 * median(at500),
      },
    ];
    if (CLIENTS <= 100_000) return figures;
    await loadClients(server.db, tenantId, 100_001, CLIENTS);
    const whole = await page(CLIENTS);
    figures.push({
      name: `unfiltered page at ${CLIENTS.toLocaleString('en')} clients, median (target: ratio <= 2)`,
      ms: median(whole),
      baselineName: 'the same page at 500 clients',
      baselineMs: median(at500),
      targetMs: 2 * median(at500),
    });
    for (const { name, filter, matches } of clientFilters(CLIENTS)) {
      const times = await latencies(server, `/nucleus/v1/client?filter=${encodeURIComponent(filter)}`, matches);
      figures.push({
        name: `filter on ${name} over ${CLIENTS.toLocaleString('en')} clients, p99`,
        ms: p99(times),
        baselineName: 'unfiltered page, p99',
        baselineMs: p99(whole),
        targetMs: 20,
      });
    }
    return figures;
  } finally {
    await server.close();
  }
}
