import { readFileSync } from 'node:fs';
import { validateAuthorities, type Authority } from '../platform/auth/authorities.ts';
import { hs256Key, publicKey, setClientTokenKey, type ClientTokenKey } from '../platform/auth/client-token-keys.ts';
import { findTenant, listCredentials, listTenants, type Tenant } from '../platform/auth/credentials.ts';
import { validateAllowlist } from '../platform/credentials/allowlist.ts';
import { validateApps } from '../platform/credentials/apps.ts';
import { OPERATOR } from '../platform/audit/actor.ts';
import { createManagedCredential } from '../platform/credentials/credential-changes.ts';
import type { Queryable } from '../platform/db/database.ts';
import { checkedOption, noPositionals, stringOption, type Command, type ParsedValues } from './command.ts';
import { CliError, isUniqueViolation, usageError } from './errors.ts';
import { formatTable } from './format.ts';

const DEFAULT_AUTHORITY: Authority = 'ROLE_ADMIN';
const DEFAULT_NAME = 'API credential';

function parseClientId(values: ParsedValues): string | undefined {
  const clientId = stringOption(values, 'client-id');
  // HTTP Basic splits "id:secret" at the first colon, so such an id could never authenticate.
  if (clientId?.includes(':')) throw usageError('--client-id must not contain ":"');
  return clientId;
}

export async function requireTenant(db: Queryable, idOrName: string): Promise<Tenant> {
  const tenant = await findTenant(db, idOrName);
  if (!tenant) throw new CliError(`Unknown tenant "${idOrName}"; "deuterium tenant list" shows the tenants`);
  return tenant;
}

export const credentialCreate: Command = {
  options: {
    tenant: { type: 'string' },
    name: { type: 'string' },
    authority: { type: 'string', multiple: true },
    app: { type: 'string', multiple: true },
    'allow-ip': { type: 'string', multiple: true },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
  },
  parse(positionals, values) {
    noPositionals(positionals);
    const tenantRef = stringOption(values, 'tenant');
    if (!tenantRef) throw usageError('Missing --tenant <id-or-name>');
    const apps = values.app as string[] | undefined;
    const allowedIps = values['allow-ip'] as string[] | undefined;
    const request = {
      name: stringOption(values, 'name') ?? DEFAULT_NAME,
      authorities: checkedOption('authority', (field) => validateAuthorities(field, (values.authority as string[] | undefined) ?? [DEFAULT_AUTHORITY])),
      apps: apps && checkedOption('app', (field) => validateApps(field, apps)),
      allowedIps: allowedIps && checkedOption('allow-ip', (field) => validateAllowlist(field, allowedIps)),
      clientId: parseClientId(values),
      clientSecret: stringOption(values, 'client-secret'),
    };
    return async ({ db, io, json }) => {
      const tenant = await requireTenant(db, tenantRef);
      let credential;
      try {
        credential = await createManagedCredential(db, tenant.id, request, OPERATOR);
      } catch (error) {
        if (isUniqueViolation(error, 'api_credential_client_id_key')) {
          throw new CliError(`A credential with client id "${request.clientId}" already exists`);
        }
        throw error;
      }
      if (json) {
        io.out(JSON.stringify({ ...credential, tenant_id: tenant.id }, null, 2));
        return;
      }
      io.out(`Created credential "${credential.name}" in tenant "${tenant.name}" with ${credential.authorities.join(', ')}`);
      io.out(`  client_id:     ${credential.client_id}`);
      io.out(`  client_secret: ${credential.client_secret}`);
      io.out('Keep the secret now: it is stored hashed and cannot be shown again.');
    };
  },
};

export const credentialList: Command = {
  options: { tenant: { type: 'string' } },
  parse(positionals, values) {
    noPositionals(positionals);
    const tenantRef = stringOption(values, 'tenant');
    return async ({ db, io, json }) => {
      const tenant = tenantRef === undefined ? undefined : await requireTenant(db, tenantRef);
      const credentials = await listCredentials(db, tenant?.id);
      if (json) {
        io.out(JSON.stringify(credentials, null, 2));
        return;
      }
      if (credentials.length === 0) {
        io.out('No credentials.');
        return;
      }
      const tenantNames = new Map((await listTenants(db)).map((t) => [t.id, t.name]));
      const rows = credentials.map((c) => [
        c.client_id,
        c.name,
        tenantNames.get(c.tenant_id) ?? c.tenant_id,
        c.authorities.join(','),
        c.is_active ? 'yes' : 'no',
        c.create_date,
      ]);
      for (const line of formatTable([['CLIENT_ID', 'NAME', 'TENANT', 'AUTHORITIES', 'ACTIVE', 'CREATED'], ...rows])) io.out(line);
    };
  },
};

/** Reads and checks the key before any database is opened, so a bad key changes nothing. */
function parseClientTokenKey(values: ParsedValues): ClientTokenKey {
  const secret = stringOption(values, 'hs256-secret');
  const file = stringOption(values, 'public-key-file');
  if ((secret === undefined) === (file === undefined)) throw usageError('Give exactly one of --hs256-secret <secret> or --public-key-file <file>');
  if (secret !== undefined) {
    try {
      return hs256Key(secret);
    } catch (error) {
      throw usageError(`--hs256-secret: ${(error as Error).message}`);
    }
  }
  let pem: string;
  try {
    pem = readFileSync(file as string, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return publicKey(pem);
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
}

export const credentialSetClientTokenKey: Command = {
  options: {
    'client-id': { type: 'string' },
    'hs256-secret': { type: 'string' },
    'public-key-file': { type: 'string' },
  },
  parse(positionals, values) {
    noPositionals(positionals);
    const clientId = stringOption(values, 'client-id');
    if (!clientId) throw usageError('Missing --client-id <client_id>');
    const key = parseClientTokenKey(values);
    return async ({ db, io, json }) => {
      const credential = await setClientTokenKey(db, clientId, key);
      if (!credential) throw new CliError(`Unknown credential "${clientId}"; "deuterium credential list" shows the credentials`);
      if (json) {
        io.out(JSON.stringify(credential, null, 2));
        return;
      }
      const how = key.kind === 'hs256' ? 'the HS256 secret given' : 'the public key given';
      io.out(`Client tokens presented with credential "${clientId}" are now verified with ${how}; any previous key is replaced.`);
    };
  },
};
