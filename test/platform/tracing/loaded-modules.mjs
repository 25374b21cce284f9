// Preloaded (NODE_OPTIONS=--import) into a server process by the tracing test: records every
// OpenTelemetry module it loads in LOADED_MODULES_FILE, whether imported (the resolve hook of
// loaded-modules-hooks.mjs) or required (the CommonJS cache, read as the process exits).
import fs from 'node:fs';
import { createRequire, register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url);
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const required = Object.keys(cache).filter((name) => /@opentelemetry|@fastify[\\/]otel/.test(name));
  fs.appendFileSync(process.env.LOADED_MODULES_FILE, required.map((name) => `${name}\n`).join(''));
});
