import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Database } from '../platform/db/database.ts';
import { ApiError } from '../platform/http/api-error.ts';
import { usageError } from './errors.ts';

export interface Io {
  /** Writes one line of the command's result. */
  out(line: string): void;
  /** Writes one line of diagnostics. */
  err(line: string): void;
}

export interface CommandContext {
  db: Database;
  io: Io;
  json: boolean;
  /** The server's settings, read from the same environment: a command checks writes as the server would. */
  config: Config;
}

export type ParsedValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** What a command does once the database is open. */
export type Action = (context: CommandContext) => Promise<void>;

export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  /** Checks the arguments, before any database is opened, and returns the work to do. */
  parse(positionals: string[], values: ParsedValues): Action;
}

/**
 * A command on the database as a whole (backup, restore): given where it is rather than an
 * open, migrated database, since it must neither change nor migrate it first.
 */
export interface StorageCommand {
  options: NonNullable<ParseArgsConfig['options']>;
  parse(positionals: string[], values: ParsedValues): (context: { url: string; description: string; io: Io; json: boolean }) => Promise<void>;
}

export function stringOption(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`--${name} needs a non-empty value`);
  return value;
}

export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw usageError(`Unexpected argument "${positionals[0]}"`);
}

/**
 * Runs one of the services' checks on option `--name`, so the tool and the API share each
 * rule, and answers its refusal as a usage error before any database is opened.
 */
export function checkedOption<T>(name: string, check: (field: string) => T): T {
  try {
    return check(`--${name}`);
  } catch (error) {
    if (error instanceof ApiError) throw usageError(error.message);
    throw error;
  }
}
