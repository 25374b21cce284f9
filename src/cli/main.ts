import { runCli } from './run.ts';

// exitCode rather than process.exit(), so piped output is flushed before the process ends.
process.exitCode = await runCli(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  process.env,
);
