import type { OperationResult } from './exercise.ts';
import type { LoadedSpec } from './spec.ts';

export interface ApiSummary {
  api: string;
  title: string;
  version: string;
  /** Operations the specification lists. */
  operations: number;
  /** Of those, the ones the server has a route for. */
  implemented: number;
  /** Of those, the ones exercised over HTTP whose response matched the specification. */
  valid: number;
}

export interface ConformanceReport {
  specs_dir: string;
  /** False when any implemented operation is not valid; CI fails on it. */
  ok: boolean;
  apis: ApiSummary[];
  /** Implemented operations that are not valid, with the reason. */
  failures: OperationResult[];
  operations: OperationResult[];
}

export function buildReport(specsDir: string, specs: LoadedSpec[], results: OperationResult[]): ConformanceReport {
  const apis = specs.map((spec) => {
    const own = results.filter((r) => r.api === spec.api);
    return {
      api: spec.api,
      title: spec.title,
      version: spec.version,
      operations: own.length,
      implemented: own.filter((r) => r.implemented).length,
      valid: own.filter((r) => r.outcome === 'valid').length,
    };
  });
  const failures = results.filter((r) => r.implemented && r.outcome !== 'valid');
  return { specs_dir: specsDir, ok: failures.length === 0, apis, failures, operations: results };
}

function pad(text: string | number, width: number, right = false): string {
  const value = String(text);
  return right ? value.padStart(width) : value.padEnd(width);
}

function operationLine(r: OperationResult): string {
  const status = r.status === undefined ? '' : ` ${r.status}`;
  return `${pad(r.outcome, 16)}${pad(r.method, 7)}${r.path}${status}`;
}

export function formatText(report: ConformanceReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [`Conformance to Hydrogen's specifications in ${report.specs_dir}`, ''];
  lines.push(`${pad('API', 10)}${pad('version', 9)}${pad('in spec', 9, true)}${pad('implemented', 13, true)}${pad('valid', 7, true)}`);
  for (const a of report.apis) {
    lines.push(`${pad(a.api, 10)}${pad(a.version, 9)}${pad(a.operations, 9, true)}${pad(a.implemented, 13, true)}${pad(a.valid, 7, true)}`);
  }
  lines.push('');

  const implemented = report.apis.reduce((n, a) => n + a.implemented, 0);
  if (report.failures.length === 0) {
    lines.push(`All ${implemented} implemented operations are valid.`);
  } else {
    lines.push(`Implemented but not valid (${report.failures.length} of ${implemented}):`);
    for (const r of report.failures) lines.push(`  ${pad(r.api, 9)}${pad(r.method, 7)}${r.path}`, `           ${r.outcome}: ${r.reason ?? 'unknown reason'}`);
  }

  // Caveats are summarized so a reader knows which "valid" verdicts rest on a weaker check.
  const notes = new Map<string, number>();
  for (const r of report.operations) for (const note of r.notes) notes.set(note, (notes.get(note) ?? 0) + 1);
  if (notes.size > 0) {
    lines.push('', 'Notes:');
    for (const [note, count] of notes) lines.push(`  ${count} operation(s): ${note}`);
  }

  if (options.verbose) {
    for (const a of report.apis) {
      lines.push('', `${a.api} ${a.version}: every operation`);
      for (const r of report.operations.filter((o) => o.api === a.api)) {
        lines.push(`  ${operationLine(r)}`);
        if (r.reason && r.implemented) lines.push(`      reason: ${r.reason}`);
        for (const note of r.notes) lines.push(`      note: ${note}`);
      }
    }
  }
  return lines.join('\n');
}
