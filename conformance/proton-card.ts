import type { Builder } from './requests.ts';

/** Hand-written requests for Proton's card operations. */
export const PROTON_CARD_REQUESTS: [RegExp, Builder][] = [];
