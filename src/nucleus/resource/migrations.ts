import type { Migration } from '../../platform/db/migrations.ts';

export const resourceMigrations: Migration[] = [];
