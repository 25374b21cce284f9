import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run.ts';

/** The operator tool's executable, as npm installs it. */
export const BIN = fileURLToPath(new URL('../../bin/deuterium.js', import.meta.url));

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** The operator tool run in this process, for its exit code and what it printed. */
export async function cli(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The operator tool as an operator runs it, in a process of its own. */
export function deuterium(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, argv, { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}
