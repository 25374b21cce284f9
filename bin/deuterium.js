#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
// Imported dynamically: a static import would be resolved before the loader is registered.
await import('../src/cli/main.ts');
