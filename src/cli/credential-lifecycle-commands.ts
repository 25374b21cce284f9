import { OPERATOR } from '../platform/audit/actor.ts';
import { validateAllowlist } from '../platform/credentials/allowlist.ts';
import {
  DEFAULT_GRACE_SECONDS,
  revokeCredential,
  rotateCredentialSecret,
  updateManagedCredential,
} from '../platform/credentials/credential-changes.ts';
import { findCredentialByClientId, type ManagedCredential } from '../platform/credentials/credential-view.ts';
import type { Database } from '../platform/db/database.ts';
import { checkedOption, noPositionals, stringOption, type Command, type CommandContext, type ParsedValues } from './command.ts';
import { CliError, usageError } from './errors.ts';

/** The running server reads credential changes within this bound; the tool cannot clear its memory. */
const SERVER_NOTICE = 'A running server applies this within 2 seconds.';

function requiredClientId(values: ParsedValues): string {
  const clientId = stringOption(values, 'client-id');
  if (!clientId) throw usageError('Missing --client-id <client_id>');
  return clientId;
}

async function requireCredential(db: Database, clientId: string): Promise<{ tenantId: string; credential: ManagedCredential }> {
  const found = await findCredentialByClientId(db, clientId);
  if (!found) throw new CliError(`Unknown credential "${clientId}"; "deuterium credential list" shows the credentials`);
  return found;
}

function describe(credential: ManagedCredential): string[] {
  const use = (at: string | null, ip: string | null) => (at ? `${at} from ${ip}` : 'never');
  const lines = [
    `client_id:      ${credential.client_id}`,
    `name:           ${credential.name}`,
    `authorities:    ${credential.authorities.join(', ')}`,
    `apps:           ${credential.apps.join(', ')}`,
    `allowed IPs:    ${credential.allowed_ips.length > 0 ? credential.allowed_ips.join(', ') : 'any'}`,
    `state:          ${credential.revoked_at ? `revoked ${credential.revoked_at}` : 'active'}`,
    `last used:      ${use(credential.last_used_at, credential.last_used_ip)}`,
    `secret:         created ${credential.secret.create_date}, last used ${use(credential.secret.last_used_at, credential.secret.last_used_ip)}`,
  ];
  const previous = credential.previous_secret;
  if (previous) {
    const until = `${previous.is_accepted ? 'accepted until' : 'refused since'} ${previous.expires_at}`;
    lines.push(`old secret:     ${until}, last used ${use(previous.last_used_at, previous.last_used_ip)}`);
  }
  lines.push(`tokens:         ${credential.tokens_issued} issued, ${credential.active_tokens} active`);
  return lines;
}

function print({ io, json }: CommandContext, value: object, lines: string[]): void {
  if (json) io.out(JSON.stringify(value, null, 2));
  else for (const line of lines) io.out(line);
}

export const credentialShow: Command = {
  options: { 'client-id': { type: 'string' } },
  parse(positionals, values) {
    noPositionals(positionals);
    const clientId = requiredClientId(values);
    return async (context) => {
      const { credential } = await requireCredential(context.db, clientId);
      print(context, credential, describe(credential));
    };
  },
};

export const credentialRotate: Command = {
  options: { 'client-id': { type: 'string' }, 'grace-seconds': { type: 'string' } },
  parse(positionals, values) {
    noPositionals(positionals);
    const clientId = requiredClientId(values);
    const graceText = stringOption(values, 'grace-seconds') ?? String(DEFAULT_GRACE_SECONDS);
    if (!/^\d+$/.test(graceText)) throw usageError('--grace-seconds must be a whole number of seconds');
    const grace = Number(graceText);
    return async (context) => {
      const { tenantId, credential } = await requireCredential(context.db, clientId);
      const rotated = await rotateCredentialSecret(context.db, tenantId, credential.id, grace, OPERATOR);
      const until = rotated.previous_secret?.is_accepted ? `is accepted until ${rotated.previous_secret.expires_at}` : 'is refused from now on';
      print(context, rotated, [
        `New secret for "${clientId}":`,
        `  client_secret: ${rotated.client_secret}`,
        'Keep the secret now: it is stored hashed and cannot be shown again.',
        `The previous secret ${until}.`,
      ]);
    };
  },
};

export const credentialRevoke: Command = {
  options: { 'client-id': { type: 'string' } },
  parse(positionals, values) {
    noPositionals(positionals);
    const clientId = requiredClientId(values);
    return async (context) => {
      const { tenantId, credential } = await requireCredential(context.db, clientId);
      const revoked = await revokeCredential(context.db, tenantId, credential.id, OPERATOR);
      const what = credential.revoked_at ? 'was already revoked' : `is revoked, with its ${credential.active_tokens} active token(s)`;
      print(context, revoked, [`Credential "${clientId}" ${what}. ${SERVER_NOTICE}`]);
    };
  },
};

/** The list an allowlist command leaves, from the one stored. */
type AllowlistEdit = (current: string[]) => string[];

function parseAllowlistEdit(values: ParsedValues): AllowlistEdit | undefined {
  const list = (name: string) => {
    const given = values[name] as string[] | undefined;
    return given && checkedOption(name, (field) => validateAllowlist(field, given));
  };
  const set = list('set');
  const add = list('add');
  const remove = list('remove');
  const clear = values.clear === true;
  if (set && (add || remove || clear)) throw usageError('--set replaces the list; it does not go with --add, --remove or --clear');
  if (clear && (add || remove)) throw usageError('--clear empties the list; it does not go with --add or --remove');
  if (clear) return () => [];
  if (set) return () => set;
  if (!add && !remove) return undefined;
  return (current) => [...current, ...(add ?? []).filter((entry) => !current.includes(entry))].filter((entry) => !remove?.includes(entry));
}

export const credentialAllowlist: Command = {
  options: {
    'client-id': { type: 'string' },
    set: { type: 'string', multiple: true },
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
    clear: { type: 'boolean' },
  },
  parse(positionals, values) {
    noPositionals(positionals);
    const clientId = requiredClientId(values);
    const edit = parseAllowlistEdit(values);
    return async (context) => {
      const found = await requireCredential(context.db, clientId);
      const credential = edit
        ? await updateManagedCredential(context.db, found.tenantId, found.credential.id, { allowedIps: edit(found.credential.allowed_ips) }, OPERATOR)
        : found.credential;
      const list = credential.allowed_ips;
      const lines = [list.length === 0 ? `Credential "${clientId}" may be used from any address.` : `Credential "${clientId}" may be used only from: ${list.join(', ')}`];
      if (edit) lines.push(SERVER_NOTICE);
      print(context, { client_id: clientId, allowed_ips: list }, lines);
    };
  },
};
