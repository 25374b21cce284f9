import { errors } from '../http/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;

const CLASSES: { name: string; test: RegExp }[] = [
  { name: 'lower-case letters', test: /\p{Ll}/u },
  { name: 'upper-case letters', test: /\p{Lu}/u },
  { name: 'digits', test: /\p{Nd}/u },
  // Anything that is neither a letter nor a digit, spaces included, so passphrases qualify.
  { name: 'symbols', test: /[^\p{L}\p{Nd}]/u },
];

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string | undefined): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const used = CLASSES.filter((c) => c.test.test(password)).length;
  if (used < 2) return `must mix at least two of: ${CLASSES.map((c) => c.name).join(', ')}`;
  if (username !== undefined && password.toLowerCase() === username.toLowerCase()) return 'must not be the username';
  return undefined;
}

/** Throws the 400 that names the field holding the refused password. */
export function checkPassword(field: string, password: string, username: string | undefined): void {
  const problem = passwordProblem(password, username);
  if (problem) throw errors.weakPassword({ field, problem });
}
