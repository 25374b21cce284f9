import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, type TestServer } from '../support/server.ts';

export const raindrop = createRequire(import.meta.url)('@hydrogenplatform/raindrop');

/**
 * A RaindropPartner of the published SDK, pointed at the test server. Its hosts are
 * Hydrogen's, fixed; the constructor's own token request (to them) fails and is waited out
 * before the token is fetched again from the server.
 */
export async function sdkPartner(server: TestServer, kind: 'client' | 'server', applicationId?: string) {
  const config = { environment: 'Sandbox', clientId: ADMIN_CLIENT_ID, clientSecret: ADMIN_CLIENT_SECRET, ...(applicationId ? { applicationId } : {}) };
  const partner = new raindrop[kind].RaindropPartner(config);
  await partner.initialized;
  partner.apiURL = server.url;
  partner.initialized = await partner.refreshToken();
  assert.equal(partner.initialized, true);
  return partner;
}
