import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import fc from 'fast-check';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';
import { operationsOf, requestsFor, type FuzzRequest, type Operation } from './fuzz-requests.ts';

/**
 * Every operation of the server's own /openapi.json, sent requests generated from its schema
 * with any part of them wrong, extreme or hostile. No request may be answered 5xx, take longer
 * than TIMEOUT_MS, or be refused with a 4xx outside the one error shape or with a code the
 * document does not list for the operation. `npm run fuzz` runs
 * it longer (README, Fuzzing); FUZZ_SEED and FUZZ_ONLY replay what a failure reports.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const ONLY = process.env.FUZZ_ONLY;
const TIMEOUT_MS = 20_000;

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Over a plain socket rather than fetch, which refuses a body on a GET and checks what it sends. */
function send(url: string, request: FuzzRequest): Promise<Answer> {
  // Node frames a GET's or DELETE's body only when told its length; unframed, it would be read as the next request.
  const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url + request.target,
      { method: request.method, headers, signal: AbortSignal.timeout(TIMEOUT_MS) },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`no answer within ${TIMEOUT_MS} ms`) : error));
    outgoing.end(request.body);
  });
}

/** What is wrong with an answer, or undefined. */
function problemWith(answer: Answer, operation: Operation): string | undefined {
  if (answer.status >= 500) return `a ${answer.status}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/json')) return `a ${answer.status} of type ${answer.contentType}`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `a ${answer.status} whose body is not JSON`;
  }
  if (body === null || typeof body !== 'object') return 'an error body that is not an object';
  if (body.status !== answer.status) return `an error body whose status is ${body.status}`;
  for (const key of ['code', 'type', 'message', 'request_id']) if (typeof body[key] !== 'string' || body[key] === '') return `an error body without ${key}`;
  // The token endpoints document OAuth's error shape instead of codes: only the shape is checked there.
  const listsCodes = Object.keys(operation.errors).length > 0;
  if (listsCodes && !operation.errors[String(answer.status)]?.includes(body.code)) {
    return `a ${answer.status} ${body.code}, which /openapi.json does not list for this operation (it lists ${JSON.stringify(operation.errors)})`;
  }
  return undefined;
}

function cut(text: string, length = 1_500): string {
  return text.length > length ? `${text.slice(0, length)}... (${text.length} characters)` : text;
}

function describeRequest(request: FuzzRequest): string {
  return [`${request.method} ${cut(request.target)}`, `headers: ${cut(JSON.stringify(request.headers), 300)}`, ...(request.body === undefined ? [] : [`body: ${cut(JSON.stringify(request.body))}`])].join('\n');
}

/** A seed of each operation's own, so one operation can be replayed alone. */
function seedOf(key: string): number {
  let hash = SEED | 0;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Ids of records the run made, so later requests also reach existing records and not only 404s. */
class IdPool {
  private readonly ids: string[] = [];
  private static readonly UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  collect(answer: Answer): void {
    if (answer.status >= 300 || !answer.contentType.startsWith('application/json')) return;
    const body = JSON.parse(answer.text);
    for (const record of Array.isArray(body?.content) ? body.content : [body]) {
      if (typeof record?.id === 'string' && IdPool.UUID.test(record.id) && !this.ids.includes(record.id)) this.ids.push(record.id);
    }
    this.ids.splice(0, Math.max(0, this.ids.length - 200));
  }

  pick(index: number): string | undefined {
    return this.ids.length > 0 ? this.ids[index % this.ids.length] : undefined;
  }
}

describe('fuzzing every operation of /openapi.json', () => {
  let server: TestServer;
  let operations: Operation[];
  const pool = new IdPool();
  before(async () => {
    server = await startServer();
    operations = operationsOf((await server.request('GET', '/openapi.json')).body);
  });
  after(() => server.close());

  it(`answers every request within ${TIMEOUT_MS} ms, in the error shape when it refuses it (seed ${SEED}, ${RUNS} runs)`, async (t) => {
    const context = {
      adminToken: await server.adminToken(),
      adminBasic: `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64')}`,
      ids: fc.oneof(fc.uuid(), fc.nat().map((index) => pool.pick(index) ?? '00000000-0000-4000-8000-000000000000')),
    };
    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      if (ONLY !== undefined && !key.includes(ONLY)) continue;
      await t.test(key, async () => {
        const requests = requestsFor(operation, context).map((request) =>
          Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) }),
        );
        const property = fc.asyncProperty(requests, async (request) => {
          const started = performance.now();
          let answer: Answer;
          try {
            answer = await send(server.url, request);
          } catch (error) {
            throw new Error(`${(error as Error).message} after ${Math.round(performance.now() - started)} ms\n${describeRequest(request)}`);
          }
          const problem = problemWith(answer, operation);
          if (problem) throw new Error(`answered ${problem}: ${cut(answer.text)}\n${describeRequest(request)}`);
          pool.collect(answer);
        });
        await fc.assert(property, { seed: seedOf(key), numRuns: RUNS, endOnFailure: true, includeErrorInReport: true }).catch((error: Error) => {
          throw new Error(`${key} failed; replay with FUZZ_SEED=${SEED} FUZZ_ONLY='${key}' npm run fuzz\n${error.message}`);
        });
      });
    }
  });
});
