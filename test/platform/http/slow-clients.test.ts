import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type TestServer } from '../../support/server.ts';

/**
 * Sends `head`, then one byte of `body` every 200 ms, until the server answers or hangs up;
 * resolves with what it answered and how long the socket stayed open.
 */
function trickle(url: string, head: string, body: string): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let answer = '';
    let sent = 0;
    const socket = net.connect(Number(port), hostname, () => socket.write(head));
    const timer = setInterval(() => {
      if (sent < body.length && !socket.destroyed) socket.write(body[sent++]);
    }, 200);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

describe('slow clients are cut off', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
  });
  after(() => server.close());

  function assertTimedOut({ answer, ms }: { answer: string; ms: number }): void {
    assert.ok(ms < 10_000, `the socket stayed open ${ms} ms`);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.split('\r\n\r\n')[1]);
    assert.equal(body.status, 408);
    assert.equal(body.code, 'request_timeout');
    assert.match(body.request_id, /^req_/);
  }

  it('a body sent a byte at a time is answered 408 and the connection closed', async () => {
    const body = JSON.stringify({ username: 'slow@example.com', client_type: 'individual', first_name: 'Slow' });
    const authorization = `Bearer ${await server.adminToken()}`;
    const head = `POST /nucleus/v1/client HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    assertTimedOut(await trickle(server.url, head, body));
  });

  it('headers sent a byte at a time are answered 408 and the connection closed', async () => {
    assertTimedOut(await trickle(server.url, 'GET /nucleus/v1/client HTTP/1.1\r\n', `Host: localhost\r\nX-Padding: ${'x'.repeat(100)}\r\n\r\n`));
  });
});
