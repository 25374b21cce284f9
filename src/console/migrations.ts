import type { Migration } from '../platform/db/migrations.ts';

export const consoleMigrations: Migration[] = [
  {
    version: 1000,
    name: "the console's sign-in credentials and sessions",
    async up(session) {
      // The console presents this secret at the token endpoint, so it is kept as given; the
      // credential is ROLE_CLIENT acting for no client, whose own tokens read only firm-wide
      // reference data (console-credential.ts says why that is enough).
      await session.query(`CREATE TABLE console_credential (
        tenant_id uuid PRIMARY KEY REFERENCES tenant(id) ON DELETE CASCADE,
        credential_id uuid NOT NULL,
        client_id text NOT NULL,
        client_secret text NOT NULL
      )`);
      // sealed_token is the access token (or, halfway through a sign-in, the mfa_token)
      // encrypted with a key derived from the cookie, which is stored only as its SHA-256.
      await session.query(`CREATE TABLE console_session (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        id_hash text NOT NULL,
        stage text NOT NULL CHECK (stage IN ('signed_in', 'second_factor')),
        tenant_name text NOT NULL,
        username text NOT NULL,
        environment text NOT NULL,
        sealed_token text NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id_hash)
      )`);
      await session.query('CREATE INDEX console_session_expires ON console_session (expires_at)');
    },
  },
];
