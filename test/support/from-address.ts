import http from 'node:http';

export interface AddressedResult {
  status: number;
  body: any;
}

/**
 * One request to a server on this machine's loopback, sent from `localAddress` (127.0.0.2,
 * ::1, ...), so a test can be a caller from another address. An IPv6 source goes to [::1],
 * which reaches a server listening on "::".
 */
export function requestFrom(
  localAddress: string,
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<AddressedResult> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const host = localAddress.includes(':') ? '::1' : '127.0.0.1';
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host,
        port,
        method,
        path,
        localAddress,
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text && (response.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** The token endpoint's answer to a client_credentials request sent from `localAddress`. */
export function tokenFrom(localAddress: string, port: number, clientId: string, clientSecret: string, headers: Record<string, string> = {}): Promise<AddressedResult> {
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  return requestFrom(localAddress, port, 'POST', '/authorization/v1/oauth/token?grant_type=client_credentials', {
    headers: { authorization: `Basic ${basic}`, ...headers },
  });
}
