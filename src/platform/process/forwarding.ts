import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { LeadLink } from './lead.ts';

const TOPIC = 'http';

/** A request as the worker that received it passes it to the lead, its body in base64. */
interface ForwardedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  remoteAddress: string;
  body: string;
}

interface ForwardedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

// Each side frames its own message; these describe the original one's framing.
const FRAMING = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'];

/**
 * Marks the lead's replay of a forwarded request, which the worker that received it has
 * already counted in its metrics; unguessable, so that no caller's request passes for one.
 */
const FORWARDED_HEADER = 'x-deuterium-forwarded';
const FORWARDED_MARK = randomUUID();

export function isForwarded(request: FastifyRequest): boolean {
  return request.headers[FORWARDED_HEADER] === FORWARDED_MARK;
}

function withoutFraming<T extends Record<string, unknown>>(headers: T): T {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !FRAMING.includes(name))) as T;
}

/** In the lead: answers the requests other workers forward, as if they had arrived here. */
export function answerForwarded(app: FastifyInstance, lead: LeadLink): void {
  lead.handle(TOPIC, async (body): Promise<ForwardedResponse> => {
    const request = body as ForwardedRequest;
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: { ...request.headers, [FORWARDED_HEADER]: FORWARDED_MARK },
      remoteAddress: request.remoteAddress,
      payload: Buffer.from(request.body, 'base64'),
    });
    return { statusCode: response.statusCode, headers: withoutFraming(response.headers), body: response.rawPayload.toString('base64') };
  });
}

async function readBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw errors.bodyTooLarge({});
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Outside the lead, has every request of `scope` answered by the lead instead, for what must
 * happen in one process (Hydro's chain). Forwarded after this worker's own onRequest hooks
 * (authentication), unparsed: the lead reads and checks the body as it would its own. While
 * the lead cannot answer (it is being replaced), requests are answered with `unavailable`.
 */
export function forwardToLead(scope: FastifyInstance, lead: LeadLink, unavailable: () => ApiError): void {
  if (lead.isLead) return;
  const limit = scope.initialConfig.bodyLimit ?? 1024 * 1024;
  scope.addHook('onRequest', async (request, reply) => {
    const forwarded: ForwardedRequest = {
      method: request.method,
      url: request.url,
      headers: { ...withoutFraming(request.headers), 'x-request-id': String(request.id) },
      remoteAddress: request.ip,
      body: (await readBody(request, limit)).toString('base64'),
    };
    const answer = await lead.ask<ForwardedResponse>(TOPIC, forwarded).catch((error: unknown) => {
      request.log.warn({ err: error }, 'the lead worker could not answer a forwarded request');
      throw unavailable();
    });
    reply.code(answer.statusCode).headers(withoutFraming(answer.headers)).send(Buffer.from(answer.body, 'base64'));
    return reply;
  });
}
