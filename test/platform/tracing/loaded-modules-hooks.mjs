// The module hooks of loaded-modules.mjs, run in the loader's own thread.
import fs from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/@opentelemetry|@fastify[\\/]otel/.test(resolved.url)) fs.appendFileSync(process.env.LOADED_MODULES_FILE, `${resolved.url}\n`);
  return resolved;
}
