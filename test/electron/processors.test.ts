import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { Processors } from '../../src/electron/processors.ts';
import type { CardProcessor } from '../../src/electron/processor.ts';
import { startServer } from '../support/server.ts';

// Only the name matters to the registry; the adapters themselves are exercised by the other Electron tests.
const adapter = (name: string) => ({ name }) as CardProcessor;
const TENANT = '6c1f5f8e-2f7a-4b0e-9d3e-2b1c0a9e8f71';

describe('card processor per tenant', () => {
  it('reads ELECTRON_PROCESSOR and ELECTRON_TENANT_PROCESSORS', () => {
    const config = loadConfig({ ELECTRON_PROCESSOR: 'acme', ELECTRON_TENANT_PROCESSORS: ` ${TENANT.toUpperCase()} = sandbox , ` });
    assert.equal(config.electronProcessor, 'acme');
    assert.deepEqual(config.electronTenantProcessors, { [TENANT]: 'sandbox' });
    assert.equal(loadConfig({}).electronProcessor, 'sandbox');
    assert.deepEqual(loadConfig({}).electronTenantProcessors, {});
  });

  it('refuses malformed pairs, naming the setting', () => {
    for (const bad of ['sandbox', `${TENANT}=`, 'not-a-uuid=sandbox', `${TENANT}=a=b`]) {
      assert.throws(() => loadConfig({ ELECTRON_TENANT_PROCESSORS: bad }), /ELECTRON_TENANT_PROCESSORS must be/, bad);
    }
  });

  it('serves each tenant its processor and everyone else the default', () => {
    const processors = new Processors([adapter('sandbox'), adapter('acme')], { defaultName: 'sandbox', byTenant: { [TENANT]: 'acme' } });
    assert.equal(processors.forTenant(TENANT).name, 'acme');
    assert.equal(processors.forTenant('0b9a4f3e-1111-4c2d-8e7f-000000000000').name, 'sandbox');
    assert.equal(processors.named('acme').name, 'acme');
    assert.throws(() => processors.named('gone'), /not configured on this server/);
  });

  it('refuses to start with a processor this server does not have', async () => {
    assert.throws(() => new Processors([adapter('sandbox')], { defaultName: 'acme', byTenant: {} }), /ELECTRON_PROCESSOR names acme/);
    assert.throws(
      () => new Processors([adapter('sandbox')], { defaultName: 'sandbox', byTenant: { [TENANT]: 'acme' } }),
      /gives tenant .* the processor acme, which is not a card processor of this server \(sandbox\)/,
    );
    await assert.rejects(startServer({ electronTenantProcessors: { [TENANT]: 'acme' } }), /not a card processor of this server/);
  });
});
