import http, { type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** The sender's port, which names the process that sent it (see process/servers.ts). */
  remotePort: number;
}

/** How the receiver answers the nth request (0-based): a status with headers, or no answer at all. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on 127.0.0.1 that records every webhook POST it gets. */
export interface Receiver {
  url: string;
  received: Received[];
  answer: (request: Received, index: number) => Answer;
  /** Resolves once `count` requests matching `match` arrived; rejects after `timeoutMs`. */
  waitFor(count: number, match?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now(), remotePort: request.socket.remotePort! };
      received.push(entry);
      const reply = receiver.answer(entry, received.length - 1);
      if (reply === 'hang') return;
      response.writeHead(reply.status, reply.headers).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer,
    async waitFor(count, match = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter(match);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${matching.length} (of ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return receiver;
}

/** Polls `read` until `done` accepts its value; for state the server reaches asynchronously. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
