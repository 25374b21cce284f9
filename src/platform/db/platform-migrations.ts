import type { Migration } from './migrations.ts';

/** Tables of the platform itself; entity tables are derived from declarations (entity/tables.ts). */
export const platformMigrations: Migration[] = [
  {
    version: 1,
    name: 'tenants, api credentials and access tokens',
    async up(session) {
      await session.query(`CREATE TABLE tenant (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        create_date timestamptz NOT NULL DEFAULT now()
      )`);
      await session.query(`CREATE TABLE api_credential (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        client_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        name text NOT NULL,
        authorities text[] NOT NULL,
        is_active boolean NOT NULL DEFAULT true,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE access_token (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        token_hash text NOT NULL,
        credential_id uuid NOT NULL,
        nucleus_client_id uuid,
        authorities text[] NOT NULL,
        scope text NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, token_hash)
      )`);
      await session.query('CREATE INDEX access_token_hash ON access_token (token_hash)');
    },
  },
];
