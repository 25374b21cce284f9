import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './api-error.ts';

/** Node's failures, by its error code, in the API's own terms. */
const KNOWN: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'The request line and headers exceed the 16 KB the server reads' },
};
const MALFORMED = { status: 400, code: 'bad_request', message: 'The request is not valid HTTP' };

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
    const { status, code, message } = KNOWN[error.code ?? ''] ?? MALFORMED;
    const requestId = `req_${randomUUID()}`;
    const body: ErrorBody = { status, code, message, request_id: requestId };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `x-request-id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
