import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openStorage } from '../platform/db/storage.ts';
import { prepareDatabase } from '../platform/db/prepare.ts';
import { nucleusEntities } from '../nucleus/entities.ts';
import { withDatabaseUrl } from './backup/database-url.ts';
import { backupCommand, restoreCommand } from './backup-commands.ts';
import type { Command, Io, ParsedValues, StorageCommand } from './command.ts';
import { credentialCreate, credentialList, credentialSetClientTokenKey } from './credential-commands.ts';
import { credentialAllowlist, credentialRevoke, credentialRotate, credentialShow } from './credential-lifecycle-commands.ts';
import { CliError, EXIT_FAILURE, EXIT_USAGE, usageError } from './errors.ts';
import { HELP } from './help.ts';
import { importCommand } from './import-command.ts';
import { tenantCreate, tenantList, tenantSetEnvironment } from './tenant-commands.ts';

export type { Io } from './command.ts';

/** Commands of one word, such as `import`, with no subcommand. */
const SINGLE_COMMANDS: Record<string, Command> = { import: importCommand };

const COMMANDS: Record<string, Record<string, Command>> = {
  tenant: { create: tenantCreate, list: tenantList, 'set-environment': tenantSetEnvironment },
  credential: {
    create: credentialCreate,
    list: credentialList,
    show: credentialShow,
    rotate: credentialRotate,
    revoke: credentialRevoke,
    allowlist: credentialAllowlist,
    'set-client-token-key': credentialSetClientTokenKey,
  },
};

const STORAGE_COMMANDS: Record<string, StorageCommand> = { backup: backupCommand, restore: restoreCommand };

const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[], command: Command | StorageCommand): { positionals: string[]; values: ParsedValues } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    return { positionals: parsed.positionals, values: parsed.values as ParsedValues };
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

function findCommand(group: string, action: string | undefined): Command {
  const actions = COMMANDS[group];
  if (!actions) throw usageError(`Unknown command "${group}"`);
  if (action === undefined || action.startsWith('-')) {
    throw usageError(`Missing subcommand: deuterium ${group} ${Object.keys(actions).join('|')}`);
  }
  const command = actions[action];
  if (!command) throw usageError(`Unknown command "${group} ${action}"`);
  return command;
}

function wantsHelp(argv: string[]): boolean {
  const ownArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  return argv[0] === 'help' || ownArgs.includes('--help') || ownArgs.includes('-h');
}

/** `hydro` commands talk to a server or a node, never to the database; viem is loaded only for them. */
async function runHydro(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const { HYDRO_COMMANDS } = await import('./hydro-commands.ts');
  const action = argv[1];
  if (action === undefined || action.startsWith('-')) throw usageError(`Missing subcommand: deuterium hydro ${Object.keys(HYDRO_COMMANDS).join('|')}`);
  const command = HYDRO_COMMANDS[action];
  if (!command) throw usageError(`Unknown command "hydro ${action}"`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(2), options: { ...COMMON_OPTIONS, ...command.options }, strict: true });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const values = parsed.values as ParsedValues;
  await command.parse(parsed.positionals, values, env)(io, values.json === true);
  return 0;
}

/**
 * Runs one operator command. Arguments are checked before the database is opened, so a
 * mistyped command never touches (or locks) the data. Returns the process exit code.
 */
export async function runCli(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length === 0) {
    io.err(HELP);
    return EXIT_USAGE;
  }
  if (wantsHelp(argv)) {
    io.out(HELP);
    return 0;
  }
  try {
    if (argv[0] === 'hydro') return await runHydro(argv, io, env);
    const storageCommand = Object.hasOwn(STORAGE_COMMANDS, argv[0]) ? STORAGE_COMMANDS[argv[0]] : undefined;
    if (storageCommand) {
      const { positionals, values } = parse(argv.slice(1), storageCommand);
      const action = storageCommand.parse(positionals, values);
      await withDatabaseUrl(loadConfig(env), (url, description) => action({ url, description, io, json: values.json === true }));
      return 0;
    }
    const single = Object.hasOwn(SINGLE_COMMANDS, argv[0]) ? SINGLE_COMMANDS[argv[0]] : undefined;
    const command = single ?? findCommand(argv[0], argv[1]);
    const { positionals, values } = parse(argv.slice(single ? 1 : 2), command);
    const action = command.parse(positionals, values);

    const config = loadConfig(env);
    const storage = await openStorage(config, 'cli');
    try {
      await prepareDatabase(storage.db, nucleusEntities);
      await action({ db: storage.db, io, json: values.json === true, config });
    } finally {
      await storage.close();
    }
    return 0;
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}
