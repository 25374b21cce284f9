import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's portfolio operations. */
export const PROTON_PORTFOLIO_REQUESTS: [RegExp, Builder][] = [];
