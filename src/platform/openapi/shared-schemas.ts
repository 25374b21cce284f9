import { ERROR_TYPES } from '../http/api-error.ts';

/** The error body every 4xx and 5xx carries. */
export const errorSchema = {
  type: 'object',
  title: 'Error',
  properties: {
    status: { type: 'integer', description: 'HTTP status' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    type: { type: 'string', enum: ERROR_TYPES, description: 'The coarse kind of error, for handling whole families alike; code says exactly which' },
    message: { type: 'string', description: 'What went wrong, for people' },
    field: { type: 'string', description: 'The offending input field, where there is one' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        required: ['field', 'message'],
      },
    },
    request_id: { type: 'string' },
  },
  required: ['status', 'code', 'type', 'message', 'request_id'],
} as const;

export const errorResponses = {
  '4xx': { ...errorSchema, description: 'Client error' },
  '5xx': { ...errorSchema, description: 'Server error' },
};

export function pageSchema(item: object, title: string) {
  return {
    type: 'object',
    title: `Page«${title}»`,
    properties: {
      content: { type: 'array', items: item },
      first: { type: 'boolean' },
      last: { type: 'boolean' },
      number_of_elements: { type: 'integer' },
      total_elements: { type: 'integer' },
      total_pages: { type: 'integer' },
      size: { type: 'integer' },
      number: { type: 'integer' },
      sort: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            direction: { type: 'string', enum: ['ASC', 'DESC'] as const },
            property: { type: 'string' },
            ignore_case: { type: 'boolean' },
            null_handling: { type: 'string' },
            ascending: { type: 'boolean' },
            descending: { type: 'boolean' },
          },
        },
      },
    },
    required: ['content', 'first', 'last', 'number_of_elements', 'total_elements', 'total_pages', 'size', 'number', 'sort'],
  };
}
