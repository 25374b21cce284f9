import type { Migration } from '../db/migrations.ts';

export const retentionMigrations: Migration[] = [
  {
    version: 900,
    name: 'indexes that let the retention sweep find expired rows without scanning whole tables',
    async up(session) {
      await session.query('CREATE INDEX access_token_expiry ON access_token (expires_at)');
      await session.query('CREATE INDEX login_failure_last ON login_failure (last_failure)');
      await session.query(`CREATE INDEX webhook_delivery_finished ON webhook_delivery (update_date) WHERE status <> 'pending'`);
      await session.query('CREATE INDEX webhook_event_created ON webhook_event (create_date)');
      await session.query('CREATE INDEX idempotency_key_expiry_all ON idempotency_key (expires_at)');
    },
  },
];
