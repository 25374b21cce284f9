import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const require = createRequire(import.meta.url);

/** Everything the console's pages load, read once at start and served from /console/assets: nothing comes from elsewhere. */
const FILES: Record<string, { file: string; type: string }> = {
  'console.css': { file: path.join(import.meta.dirname, 'assets/console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { file: path.join(import.meta.dirname, 'assets/console.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
};

export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, { file, type }] of Object.entries(FILES)) {
    const body = fs.readFileSync(file);
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return assets;
}
