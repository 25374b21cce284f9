import http from 'node:http';
import https from 'node:https';
import type { ClaimedDelivery } from './deliveries.ts';
import { hydrogenSignatureHeader, standardWebhooksSignature } from './signature.ts';
import { checkWebhookUrl, publicOnlyLookup, TargetRefused } from './target.ts';

const CONTENT_TYPE = 'application/json';
const USER_AGENT = 'Deuterium-Webhooks/1';

/** Every header of one attempt; date and timestamp are the attempt's own, the ids the delivery's. */
export function deliveryHeaders(delivery: ClaimedDelivery, now: Date): Record<string, string> {
  const date = now.toUTCString();
  const contentLength = Buffer.byteLength(delivery.payload, 'utf8');
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    date,
    'content-type': CONTENT_TYPE,
    'content-length': String(contentLength),
    'user-agent': USER_AGENT,
    'x-hydrogen-service': delivery.service,
    'x-hydrogen-signature': hydrogenSignatureHeader(delivery.secret, {
      date,
      contentType: CONTENT_TYPE,
      contentLength,
      body: delivery.payload,
    }),
    'x-hydrogen-delivery-id': delivery.id,
    'x-deuterium-action': delivery.action,
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardWebhooksSignature(delivery.secret, delivery.id, timestamp, delivery.payload),
  };
}

export interface SendOutcome {
  statusCode?: number;
  retryAfter?: string;
  latencyMs: number;
  error?: string;
  /** The attempt was cut short because this process is stopping; it says nothing about the receiver. */
  aborted?: boolean;
}

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

/** One POST of the delivery; never throws, every failure is described in the outcome. */
export async function send(delivery: ClaimedDelivery, options: SendOptions): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    // Checked again at delivery time: the URL may predate a configuration change, and names move.
    url = await checkWebhookUrl(delivery.url, options.allowPrivate);
  } catch (error) {
    if (error instanceof TargetRefused) return { latencyMs: elapsed(), error: `refused: url ${error.message}` };
    throw error;
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve({ latencyMs: elapsed(), ...outcome });
    };
    const request = transport.request(url, {
      method: 'POST',
      headers: deliveryHeaders(delivery, new Date()),
      // A fresh connection per attempt, so every connection goes through the address check.
      agent: false,
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    // The address check counts against the same budget, so an attempt stays inside its lease.
    const timer = setTimeout(() => {
      finish({ error: `no response within ${options.timeoutMs / 1000} s` });
      request.destroy();
    }, Math.max(0, options.timeoutMs - elapsed()));
    const onAbort = () => {
      finish({ aborted: true, error: 'aborted: the server is shutting down' });
      request.destroy();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    request.on('response', (response) => {
      const retryAfter = response.headers['retry-after'];
      finish({ statusCode: response.statusCode, ...(retryAfter ? { retryAfter } : {}) });
      // The body is not needed, but reading it lets the receiver finish its response cleanly;
      // a connection reset while reading it changes nothing, and must not go unhandled.
      response.on('error', () => {});
      response.resume();
    });
    request.on('error', (error) => {
      finish({ error: error instanceof TargetRefused ? `refused: url ${error.message}` : error.message });
    });
    request.end(delivery.payload);
  });
}
