import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type TestServer } from '../../support/server.ts';

/** Sends raw bytes and reads the whole answer, for requests no HTTP client would send. */
function exchange(url: string, raw: string): Promise<{ status: number; headers: string; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(raw));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(body) });
    });
  });
}

function assertShape(body: Record<string, unknown>, status: number, code: string): void {
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'request_id', 'status', 'type'], JSON.stringify(body));
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, status >= 500 ? 'api_error' : 'invalid_request_error');
  assert.match(String(body.request_id), /^req_/);
}

describe('what Node and the router refuse still answers in the one error shape', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('a path parameter over 100 characters is a 414', async () => {
    const answer = await server.request('GET', `/nucleus/v1/client/${'a'.repeat(101)}`);
    assert.equal(answer.status, 414);
    assertShape(answer.body, 414, 'uri_too_long');
    assert.equal(answer.headers.get('x-request-id'), answer.body.request_id);
  });

  it('a path that is not valid percent-encoding is a 400', async () => {
    const answer = await server.request('GET', '/nucleus/v1/client/%E0%A4%A');
    assert.equal(answer.status, 400);
    assertShape(answer.body, 400, 'bad_url');
  });

  it('a URL past the 16 KB header limit is a 431', async () => {
    const answer = await exchange(server.url, `GET /nucleus/v1/client?filter=${'x'.repeat(17_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    assert.equal(answer.status, 431);
    assertShape(answer.body, 431, 'headers_too_large');
    assert.match(answer.headers, new RegExp(`x-request-id: ${answer.body.request_id}`));
  });

  it('a body over the 5 MB the server reads is a 413', async () => {
    const answer = await server.request('POST', '/nucleus/v1/client', { rawBody: `{"username":"${'x'.repeat(5 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    assert.equal(answer.status, 413);
    assertShape(answer.body, 413, 'body_too_large');
  });

  it('a path no route serves is a 404', async () => {
    const answer = await server.request('GET', '/nucleus/v1/no_such_thing');
    assert.equal(answer.status, 404);
    assertShape(answer.body, 404, 'not_found');
    assert.equal(answer.headers.get('x-request-id'), answer.body.request_id);
  });

  it('a method a known path does not take is a 405 naming those it does', async () => {
    const answer = await server.request('PATCH', '/nucleus/v1/client');
    assert.equal(answer.status, 405);
    assertShape(answer.body, 405, 'method_not_allowed');
    assert.equal(answer.headers.get('allow'), 'GET, POST');
  });

  it('a body that is not JSON is a 415', async () => {
    const answer = await server.request('POST', '/nucleus/v1/client', { rawBody: 'username=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(answer.status, 415);
    assertShape(answer.body, 415, 'unsupported_media_type');
  });

  it('JSON that does not parse is a 400', async () => {
    const answer = await server.request('POST', '/nucleus/v1/client', { rawBody: '{"username":', headers: { 'content-type': 'application/json' } });
    assert.equal(answer.status, 400);
    assertShape(answer.body, 400, 'invalid_json');
  });

  it('bytes that are not HTTP are a 400', async () => {
    const answer = await exchange(server.url, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(answer.status, 400);
    assertShape(answer.body, 400, 'bad_request');
  });
});

describe('an unexpected failure', () => {
  it('is a 500 internal_error with a request id, logged whole, its internals kept out of the answer', async () => {
    const logged: string[] = [];
    const server = await startServer({ logLevel: 'error' }, { write: (line: string) => void logged.push(line) });
    try {
      // A fault no request can be blamed for: a table the route reads is gone.
      await server.db.query('DROP TABLE nucleus_model CASCADE');
      const answer = await server.request('GET', '/nucleus/v1/model');
      assert.equal(answer.status, 500);
      assertShape(answer.body, 500, 'internal_error');
      assert.doesNotMatch(answer.body.message, /nucleus_model|relation|select/i);
      const entry = logged.map((line) => JSON.parse(line)).find((e) => e.msg === 'unhandled error');
      assert.ok(entry, logged.join(''));
      assert.equal(entry.reqId, answer.body.request_id);
      assert.match(entry.err.message, /nucleus_model/);
    } finally {
      await server.close();
    }
  });
});
