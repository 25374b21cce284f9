import { errors } from '../http/errors.ts';

/**
 * The APIs a token may call, as the token response's `apps` names them; /admin/v1 is
 * Nucleus's. `metrics` is GET /metrics, the whole server's figures rather than one tenant's.
 */
export const ALL_APPS = ['nucleus', 'proton', 'electron', 'hydro', 'metrics'];

/** What a credential is given unless told otherwise: every API, not the server's metrics. */
export const DEFAULT_APPS = ['nucleus', 'proton', 'electron', 'hydro'];

export type App = 'nucleus' | 'proton' | 'electron' | 'hydro' | 'metrics';

/** Checks the apps a credential is given, keeping them in ALL_APPS's order. */
export function validateApps(field: string, apps: readonly string[]): string[] {
  const unknown = apps.find((app) => !ALL_APPS.includes(app));
  if (unknown !== undefined) throw errors.invalidField({ field, problem: `unknown app "${unknown}"; expected one or more of ${ALL_APPS.join(', ')}` });
  if (apps.length === 0) throw errors.invalidField({ field, problem: 'must name at least one app' });
  return ALL_APPS.filter((app) => apps.includes(app));
}

/** Refuses a token whose credential may not call this API. */
export function checkApp(apps: readonly string[] | undefined, app: App): void {
  if (apps && !apps.includes(app)) {
    throw errors.appNotAllowed({ reason: `This access token's API credential may not call ${app}; it may call: ${apps.join(', ')}` });
  }
}
