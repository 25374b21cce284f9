import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError, ErrorBody } from './api-error.ts';
import { errors } from './errors.ts';

/** Node's failures, by its error code, in the API's own terms. */
const KNOWN: Record<string, () => ApiError> = {
  ERR_HTTP_REQUEST_TIMEOUT: () => errors.requestTimeout({}),
  HPE_HEADER_OVERFLOW: () => errors.headersTooLarge({}),
};
const malformed = () => errors.badRequest({ reason: 'The request is not valid HTTP' });

/**
 * Answers what Node refuses before there is a request to hand to Fastify (a URL past the
 * header limit, a client too slow to send its request) in the error shape of every other
 * answer, with a request id of its own since no request was made.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer, and a response already begun cannot be replaced
  // (Node's own check: the response in flight on the socket has sent its headers).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, code, type, message } = (KNOWN[error.code ?? ''] ?? malformed)();
    const requestId = `req_${randomUUID()}`;
    const body: ErrorBody = { status, code, type, message, request_id: requestId };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `x-request-id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
