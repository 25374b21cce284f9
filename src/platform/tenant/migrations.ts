import type { Migration } from '../db/migrations.ts';

export const tenantMigrations: Migration[] = [
  {
    version: 22,
    name: 'tenant environment: sandbox or production',
    async up(session) {
      // Tenants that exist already may hold real data, and a sandbox tenant can be wiped by
      // its super-admin: they become production, which loses nothing (the operator can switch
      // one to sandbox). New tenants are sandbox unless created otherwise (tenant-environment.ts).
      await session.query(`ALTER TABLE tenant ADD COLUMN environment text NOT NULL DEFAULT 'production'
        CHECK (environment IN ('sandbox', 'production'))`);
      await session.query(`ALTER TABLE tenant ALTER COLUMN environment SET DEFAULT 'sandbox'`);
    },
  },
];
