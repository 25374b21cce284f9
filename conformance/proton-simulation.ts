import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's simulation operations. */
export const PROTON_SIMULATION_REQUESTS: [RegExp, Builder][] = [];
