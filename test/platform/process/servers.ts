import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServerProcess, type RunningServer } from '../../support/process.ts';
import type { HttpResult, TestServer } from '../../support/server.ts';

export const ADMIN = { ADMIN_CLIENT_ID: 'servers-admin', ADMIN_CLIENT_SECRET: 'servers-admin-secret' };

/**
 * `count` server processes started at once on one database, each on a loopback address of its
 * own, as separate hosts behind a load balancer would be: none shares a port, a cluster or
 * anything but the database with another.
 */
export function startServers(count: number, env: Record<string, string>): Promise<RunningServer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => startServerProcess({ ...env, ...ADMIN, WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'info', HOST: `127.0.0.${i + 2}` })),
  );
}

export async function adminToken(server: RunningServer): Promise<string> {
  const basic = Buffer.from(`${ADMIN.ADMIN_CLIENT_ID}:${ADMIN.ADMIN_CLIENT_SECRET}`).toString('base64');
  const issued = await fetch(`${server.url}/authorization/v1/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  assert.equal(issued.status, 200);
  return ((await issued.json()) as { access_token: string }).access_token;
}

export async function call(server: RunningServer, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * The API spread over the servers, a request to each in turn, in the shape the test worlds
 * (CardWorld, Program) take.
 */
export function roundRobin(servers: RunningServer[], token: string): TestServer {
  let next = 0;
  const request = (method: string, path: string, options: { body?: unknown } = {}) => call(servers[next++ % servers.length], token, method, path, options.body);
  return { url: servers[0].url, request } as unknown as TestServer;
}

/**
 * The process among `pids` that owns the TCP connection whose local port is `port` on this
 * machine: a receiver learns from it which server sent a webhook.
 */
export function pidOfConnection(port: number, pids: number[]): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`)) inodes.add(fields[9]);
    }
  }
  return pids.find((pid) => {
    const dir = `/proc/${pid}/fd`;
    try {
      return fs.readdirSync(dir).some((fd) => {
        const target = fs.readlinkSync(`${dir}/${fd}`, { encoding: 'utf8' });
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      });
    } catch {
      return false;
    }
  });
}

/** Fails with every server's output when one of them logged an error. */
export function assertNoErrors(servers: RunningServer[]): void {
  for (const server of servers) {
    const errors = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], `server ${server.url} logged errors`);
  }
}
