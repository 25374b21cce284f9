import type { Migration } from '../db/migrations.ts';

/**
 * Numbered in the console's range (1000-1009): the table was added for the console's overview,
 * and the platform's own ranges belong to other branches' work.
 */
export const requestCountMigrations: Migration[] = [
  {
    version: 1001,
    name: "each tenant's API requests per day, and how many were answered with an error",
    async up(session) {
      // One row per tenant, UTC day and API: a handful of rows a day, written a few times a
      // minute by each process rather than once per request.
      await session.query(`CREATE TABLE request_count (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        day date NOT NULL,
        api text NOT NULL,
        requests bigint NOT NULL,
        client_errors bigint NOT NULL,
        server_errors bigint NOT NULL,
        PRIMARY KEY (tenant_id, day, api)
      )`);
    },
  },
];
