import { createTenant, listTenants } from '../platform/auth/credentials.ts';
import { noPositionals, type Command } from './command.ts';
import { CliError, isUniqueViolation, usageError } from './errors.ts';
import { formatTable } from './format.ts';

export const tenantCreate: Command = {
  options: {},
  parse(positionals) {
    if (positionals.length === 0) throw usageError('Missing tenant name: deuterium tenant create <name>');
    if (positionals.length > 1) throw usageError(`Unexpected argument "${positionals[1]}" (quote a name that contains spaces)`);
    const name = positionals[0].trim();
    if (name === '') throw usageError('The tenant name must not be empty');
    return async ({ db, io, json }) => {
      try {
        const tenant = await createTenant(db, name);
        io.out(json ? JSON.stringify(tenant, null, 2) : `Created tenant "${tenant.name}" (id ${tenant.id})`);
      } catch (error) {
        if (isUniqueViolation(error, 'tenant_name_key')) throw new CliError(`A tenant named "${name}" already exists`);
        throw error;
      }
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
      else for (const line of formatTable([['ID', 'NAME', 'CREATED'], ...tenants.map((t) => [t.id, t.name, t.create_date])])) io.out(line);
    };
  },
};
