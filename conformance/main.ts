/**
 * npm run conformance [-- --json] [-- --verbose]
 *
 * Starts a real Deuterium server in-process (on DATABASE_URL's PostgreSQL when it is set, else
 * on an embedded one started for the run), exercises every operation of Hydrogen's specifications that it has a
 * route for, and reports per API how many are in the spec, implemented and valid.
 * Exit code 1 when an implemented operation is not valid, 2 when the run itself failed.
 */
import { startServer } from '../test/support/server.ts';
import { withSuitePostgres } from '../test/support/suite-postgres.ts';
import { defaultSpecsDir, loadSpecs } from './spec.ts';
import { runConformance } from './exercise.ts';
import { formatText, type ConformanceReport } from './report.ts';

const USAGE = 'usage: npm run conformance -- [--json] [--verbose]\n  SPECS_DIR overrides the specification directory (default ../shared/specs)';

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv);
  for (const flag of flags) {
    if (!['--json', '--verbose', '--help', '-h'].includes(flag)) {
      process.stderr.write(`unknown argument ${flag}\n${USAGE}\n`);
      return 2;
    }
  }
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const specsDir = defaultSpecsDir();
  const specs = loadSpecs(specsDir);
  const report = await withSuitePostgres(async (): Promise<ConformanceReport> => {
    const server = await startServer();
    try {
      return await runConformance(server, specs, specsDir);
    } finally {
      await server.close();
    }
  });
  if (flags.has('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatText(report, { verbose: flags.has('--verbose') })}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`conformance run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
