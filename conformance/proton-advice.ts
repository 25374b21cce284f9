import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's advice operations. */
export const PROTON_ADVICE_REQUESTS: [RegExp, Builder][] = [];
