import type { Migration } from '../platform/db/migrations.ts';

/** Hydro's range is 800-899. The chain is the truth about whitelists, challenges and HydroIDs; these tables keep what the API hands out. */
export const hydroMigrations: Migration[] = [
  {
    version: 800,
    name: 'hydro: whitelisted addresses, authentications, applications, signatures',
    async up(session) {
      await session.query(`CREATE TABLE hydro_address (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        address text NOT NULL,
        whitelist_transaction_hash text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, address)
      )`);
      // One row per challenge that was answered, so asking again returns the same authentication_id.
      await session.query(`CREATE TABLE hydro_authentication (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        hydro_address_id uuid NOT NULL,
        challenge text NOT NULL,
        authenticated_at timestamptz NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, hydro_address_id, challenge),
        FOREIGN KEY (tenant_id, hydro_address_id) REFERENCES hydro_address (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE hydro_application (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        name text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE TABLE hydro_application_client (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        application_id uuid NOT NULL,
        hydro_id text NOT NULL,
        create_date timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, application_id, hydro_id),
        FOREIGN KEY (tenant_id, application_id) REFERENCES hydro_application (tenant_id, id) ON DELETE CASCADE
      )`);
      // What authenticators submitted: the signer is recovered on submission, the chain is
      // asked at verification whether it is the HydroID's address.
      await session.query(`CREATE TABLE hydro_signature (
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        id uuid NOT NULL,
        hydro_id text NOT NULL,
        message text NOT NULL,
        signature text NOT NULL,
        signer text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        verification_id uuid,
        verified_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      )`);
      await session.query(`CREATE INDEX hydro_signature_lookup ON hydro_signature (tenant_id, hydro_id, message, submitted_at)`);
    },
  },
];
