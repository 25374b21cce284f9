import type { Tenant } from '../auth/credentials.ts';
import type { RateLimitSettings } from '../rate-limit/rate-limits.ts';
import { ENVIRONMENTS } from './environment.ts';

/** A tenant as /admin/v1 answers it: with the rate limit its credentials have when they set none. */
export const tenantSchema = {
  type: 'object',
  title: 'Tenant',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    environment: { type: 'string', enum: ENVIRONMENTS },
    is_operator: { type: 'boolean', description: "The installation's own tenant, whose super-admins manage every tenant (/admin/v1/tenants)" },
    rate_limit: {
      type: ['integer', 'null'],
      description: "Requests per window for each credential that sets no limit of its own; null: the environment's default",
    },
    effective_rate_limit: { type: 'integer', description: 'The limit such a credential has now (0: none)' },
    rate_limit_window_seconds: { type: 'integer' },
    create_date: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'environment', 'is_operator', 'rate_limit', 'effective_rate_limit', 'rate_limit_window_seconds', 'create_date'],
} as const;

export type TenantView = Tenant & { effective_rate_limit: number; rate_limit_window_seconds: number };

export function tenantView(tenant: Tenant, rateLimits: RateLimitSettings): TenantView {
  const defaultLimit = tenant.environment === 'sandbox' ? rateLimits.sandbox : rateLimits.production;
  return { ...tenant, effective_rate_limit: tenant.rate_limit ?? defaultLimit, rate_limit_window_seconds: rateLimits.windowMs / 1000 };
}
