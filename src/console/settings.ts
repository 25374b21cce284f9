/** How long a console session lasts; the README's settings table lists both. */
export interface ConsoleSettings {
  /** A session unused this long ends (CONSOLE_SESSION_IDLE_SECONDS). */
  idleSeconds: number;
  /** A session ends this long after sign-in however busy it is, or sooner when its access token expires (CONSOLE_SESSION_MAX_SECONDS). */
  maxSeconds: number;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number of seconds, got "${raw}"`);
  return value;
}

export function consoleSettings(env: NodeJS.ProcessEnv): ConsoleSettings {
  return { idleSeconds: seconds(env, 'CONSOLE_SESSION_IDLE_SECONDS', 30 * 60), maxSeconds: seconds(env, 'CONSOLE_SESSION_MAX_SECONDS', 12 * 60 * 60) };
}
