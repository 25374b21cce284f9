import type { Migration } from '../db/migrations.ts';

export const idempotencyMigrations: Migration[] = [];
