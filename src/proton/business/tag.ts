/** The tag every business analysis is listed under, as in Hydrogen's specification. */
export const BUSINESS_TAG = 'Business Financial Management';
