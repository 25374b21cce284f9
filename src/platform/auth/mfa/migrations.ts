import type { Migration } from '../../db/migrations.ts';

export const mfaMigrations: Migration[] = [
  {
    version: 23,
    name: "admin users' second factors, recovery codes and mfa tokens",
    async up(session) {
      // The TOTP secret is kept as given: checking a code needs it (as an HS256 client-token key does).
      // A factor is in force once confirmed; a pending one is only an enrolment in progress.
      await session.query(`CREATE TABLE admin_mfa (
        admin_user_id bigint PRIMARY KEY REFERENCES admin_user(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        totp_secret text,
        totp_last_step bigint,
        totp_pending_secret text,
        hydro_id text,
        hydro_pending_id text,
        hydro_pending_message text,
        update_date timestamptz NOT NULL DEFAULT now()
      )`);
      // Codes carry 80 random bits, so a SHA-256 of one cannot be searched back.
      await session.query(`CREATE TABLE admin_recovery_code (
        admin_user_id bigint NOT NULL REFERENCES admin_user(id) ON DELETE CASCADE,
        code_sha256 text NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (admin_user_id, code_sha256)
      )`);
      await session.query(`CREATE TABLE mfa_token (
        token_hash text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        credential_id uuid NOT NULL,
        admin_user_id bigint NOT NULL REFERENCES admin_user(id) ON DELETE CASCADE,
        raindrop_message text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        create_date timestamptz NOT NULL DEFAULT now()
      )`);
      await session.query('CREATE INDEX mfa_token_admin_user ON mfa_token (admin_user_id)');
    },
  },
];
