import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's business operations. */
export const PROTON_BUSINESS_REQUESTS: [RegExp, Builder][] = [];
