import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { freshDatabase } from './server.ts';

export interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** Counted as always, but high enough that only the tests of rate limits meet them. */
const UNREACHED_RATE_LIMIT_SETTINGS = { RATE_LIMIT: '1000000000', SANDBOX_RATE_LIMIT: '1000000000', TOKEN_RATE_LIMIT: '1000000000' };

/**
 * Starts the real server process (src/main.ts) the way `npm start` does, and waits until it
 * is ready: one process unless `env` sets WORKERS (test/platform/process has the clusters), on
 * 127.0.0.1 unless `env` sets another loopback address as HOST (as separate hosts would be).
 */
export async function startServerProcess(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const host = env.HOST ?? '127.0.0.1';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, WORKERS: '1', ...UNREACHED_RATE_LIMIT_SETTINGS, ...env, PORT: String(port), HOST: host, LOG_LEVEL: env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // A first start on an empty embedded database applies every migration, which takes a while.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    const ready = await fetch(`http://${host}:${port}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `http://${host}:${port}`, output: () => output };
}

/** Kills the process with `signal` and waits for it to be gone. */
export async function stopServerProcess(running: RunningServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = once(running.child, 'exit');
  running.child.kill(signal);
  await exited;
}

export interface DurableStorage {
  /** DATABASE_URL, for a server or CLI process. */
  env: Record<string, string>;
  /** Opens the same storage in the test's own process. */
  open: () => Promise<Database>;
  dispose: () => Promise<void>;
}

/** Storage that outlives one server process: a fresh, empty database on the suite's server. */
export async function durableStorage(): Promise<DurableStorage> {
  const fresh = await freshDatabase();
  await fresh.db.close();
  const databaseUrl = fresh.url;
  return { env: { DATABASE_URL: databaseUrl }, open: () => openDatabase(databaseUrl), dispose: fresh.drop };
}

/** One request to a server process with a bearer token, as an API client sends it. */
export async function callServer(
  server: RunningServer,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A client_credentials token request to a server process. */
export async function serverToken(server: RunningServer, clientId: string, clientSecret: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
  });
  return { status: response.status, body: await response.json() };
}
