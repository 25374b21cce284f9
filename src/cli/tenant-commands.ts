import { OPERATOR } from '../platform/audit/actor.ts';
import { findTenant, listTenants } from '../platform/auth/credentials.ts';
import { ENVIRONMENTS, isEnvironment, type Environment } from '../platform/tenant/environment.ts';
import { createManagedTenant, setTenantEnvironment } from '../platform/tenant/tenant-changes.ts';
import { noPositionals, stringOption, type Command, type ParsedValues } from './command.ts';
import { CliError, usageError } from './errors.ts';
import { ApiError } from '../platform/http/api-error.ts';
import { formatTable } from './format.ts';

function environmentOf(value: string | undefined): Environment | undefined {
  if (value === undefined || isEnvironment(value)) return value;
  throw usageError(`--environment must be ${ENVIRONMENTS.join(' or ')}, got "${value}"`);
}

export const tenantCreate: Command = {
  options: { environment: { type: 'string' } },
  parse(positionals, values: ParsedValues) {
    if (positionals.length === 0) throw usageError('Missing tenant name: deuterium tenant create <name> [--environment sandbox|production]');
    if (positionals.length > 1) throw usageError(`Unexpected argument "${positionals[1]}" (quote a name that contains spaces)`);
    const name = positionals[0].trim();
    if (name === '') throw usageError('The tenant name must not be empty');
    const environment = environmentOf(stringOption(values, 'environment'));
    return async ({ db, io, json }) => {
      try {
        const tenant = await createManagedTenant(db, name, environment, OPERATOR);
        io.out(json ? JSON.stringify(tenant, null, 2) : `Created ${tenant.environment} tenant "${tenant.name}" (id ${tenant.id})`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) throw new CliError(error.message);
        throw error;
      }
    };
  },
};

export const tenantSetEnvironment: Command = {
  options: {},
  parse(positionals) {
    if (positionals.length !== 2) throw usageError('Usage: deuterium tenant set-environment <id-or-name> sandbox|production');
    const [ref, given] = positionals;
    const environment = environmentOf(given)!;
    return async ({ db, io, json }) => {
      const tenant = await findTenant(db, ref);
      if (!tenant) throw new CliError(`No tenant "${ref}"`);
      await setTenantEnvironment(db, tenant.id, environment, OPERATOR);
      const updated = { ...tenant, environment };
      io.out(json ? JSON.stringify(updated, null, 2) : `Tenant "${tenant.name}" is now ${environment}`);
    };
  },
};

export const tenantList: Command = {
  options: {},
  parse(positionals) {
    noPositionals(positionals);
    return async ({ db, io, json }) => {
      const tenants = await listTenants(db);
      if (json) io.out(JSON.stringify(tenants, null, 2));
      else if (tenants.length === 0) io.out('No tenants.');
      else {
        const rows = tenants.map((t) => [t.id, t.name, t.environment, t.create_date]);
        for (const line of formatTable([['ID', 'NAME', 'ENVIRONMENT', 'CREATED'], ...rows])) io.out(line);
      }
    };
  },
};
