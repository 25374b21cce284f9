import type { Migration } from '../db/migrations.ts';

export const rateLimitMigrations: Migration[] = [
  {
    version: 25,
    name: 'request rate limits: the shared windows, and the limits set per tenant and per credential',
    async up(session) {
      // Unlogged: counts of the last minute are not worth a WAL write per request, and a
      // crash of the database only opens every window afresh.
      await session.query(`CREATE UNLOGGED TABLE rate_limit_window (
        key text PRIMARY KEY,
        window_end timestamptz NOT NULL,
        hits bigint NOT NULL
      )`);
      await session.query('CREATE INDEX rate_limit_window_end ON rate_limit_window (window_end)');
      // Null: the tenant's limit, or the environment's default when the tenant has none.
      await session.query('ALTER TABLE tenant ADD COLUMN rate_limit integer CHECK (rate_limit >= 0)');
      await session.query('ALTER TABLE api_credential ADD COLUMN rate_limit integer CHECK (rate_limit >= 0)');
    },
  },
];
