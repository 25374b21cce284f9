import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's wellness operations. */
export const PROTON_WELLNESS_REQUESTS: [RegExp, Builder][] = [];
