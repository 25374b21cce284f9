import type { Migration } from '../db/migrations.ts';

export const webhooksMigrations: Migration[] = [];
