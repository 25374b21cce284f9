import type { HttpResult } from '../test/support/server.ts';
import type { LoadedSpec, SpecOperation, SwaggerSchema } from './spec.ts';
import type { OwnSchemas } from './own-schema.ts';

export interface Judgement {
  ok: boolean;
  reason?: string;
  notes: string[];
}

const UNTYPED_NOTE = "response untyped in spec (free-form object): its body checked against Deuterium's own schema only";

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function serverMessage(body: unknown): string {
  if (isObject(body) && typeof body.message === 'string') return `: ${body.message}`;
  if (typeof body === 'string' && body) return `: ${body.slice(0, 200)}`;
  return '';
}

/** A schema that says nothing about the body beyond "an object" (Proton's responses). */
function isFreeForm(schema: SwaggerSchema | undefined): boolean {
  if (!schema) return false;
  const extra = schema.additionalProperties;
  return (
    schema.properties === undefined &&
    schema.items === undefined &&
    schema.allOf === undefined &&
    (schema.type === 'object' || schema.type === undefined) &&
    (extra === undefined || extra === true || (isObject(extra) && Object.keys(extra).length === 0))
  );
}

/**
 * A response is valid when it satisfies both contracts: Hydrogen's specification (the status
 * is 2xx and one the operation lists, the body matches that status's schema) and Deuterium's
 * own OpenAPI document (the status is documented and the body matches its schema with every
 * object closed, see own-schema.ts). Hydrogen's schemas are open and Proton's and Electron's
 * untyped, so only the second check can refuse an undeclared or misspelled field.
 */
export function judge(spec: LoadedSpec, own: OwnSchemas, op: SpecOperation, response: HttpResult<unknown>): Judgement {
  const hydrogen = judgeHydrogen(spec, op, response);
  if (!hydrogen.ok) return hydrogen;
  const mine = judgeOwn(own, op, response);
  return { ...mine, notes: [...hydrogen.notes, ...mine.notes] };
}

function judgeOwn(own: OwnSchemas, op: SpecOperation, { status, body }: HttpResult<unknown>): Judgement {
  const documented = own.response(op.method, op.path, status);
  if (!documented.found) return { ok: false, reason: documented.reason, notes: [] };
  if (!documented.schema) {
    return body === '' ? { ok: true, notes: [] } : { ok: false, reason: `status ${status} has a body where Deuterium's own document declares none`, notes: [] };
  }
  const outcome = own.validate(documented.schema, body);
  if (outcome.valid) return { ok: true, notes: [] };
  const more = outcome.errors.length > 1 ? ` (+${outcome.errors.length - 1} more)` : '';
  return { ok: false, reason: `status ${status}, response does not match Deuterium's own schema: ${outcome.errors[0]}${more}`, notes: [] };
}

/**
 * Hydrogen's files list "201 Created" without a schema next to a "200" that has one while the
 * body is the same record, so a schema-less 2xx other than 204 is checked against the 200
 * schema rather than passed unchecked.
 */
function judgeHydrogen(spec: LoadedSpec, op: SpecOperation, response: HttpResult<unknown>): Judgement {
  const { status, body } = response;
  if (status < 200 || status > 299) return { ok: false, reason: `status ${status}${serverMessage(body)}`, notes: [] };
  const listed = op.responses[String(status)] ?? op.responses.default;
  if (!listed) {
    return { ok: false, reason: `status ${status} is not among the spec's responses (${Object.keys(op.responses).join(', ')})`, notes: [] };
  }
  const notes: string[] = [];
  let schema = listed.schema;
  if (!schema) {
    if (status === 204) {
      return body === '' ? { ok: true, notes } : { ok: false, reason: 'status 204 with a body', notes };
    }
    schema = op.responses['200']?.schema;
    if (!schema) return { ok: true, notes: ['spec defines no response body for this status'] };
    notes.push(`status ${status} has no schema in the spec; body checked against the 200 response's`);
  }
  if (isFreeForm(spec.deref(schema))) {
    notes.push(UNTYPED_NOTE);
    return isObject(body) ? { ok: true, notes } : { ok: false, reason: 'response body is not a JSON object', notes };
  }
  const outcome = spec.validate(schema, body);
  if (outcome.valid) return { ok: true, notes };
  const more = outcome.errors.length > 1 ? ` (+${outcome.errors.length - 1} more)` : '';
  const name = spec.definitionName(schema) ?? 'the response schema';
  return { ok: false, reason: `status ${status}, response does not match ${name}: ${outcome.errors[0]}${more}`, notes };
}
