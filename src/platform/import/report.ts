import type { Refusal } from './record-writer.ts';
import { WHAT_TO_DO } from './unreadable-fields.ts';

export interface EntityTally {
  entity: string;
  /** What the source's first page said it had to send this run. */
  total: number;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  held_back: number;
}

export interface ImportReport {
  source: string;
  dry_run: boolean;
  entities: EntityTally[];
  refused: Refusal[];
  /** References to records the source itself no longer has: those records cannot come in until it is fixed there. */
  dangling: { entity: string; id: string; field: string; missing_entity: string; missing_id: string }[];
  /** Records still waiting for a record that the source has but that was refused here. */
  waiting: Refusal[];
  not_imported: { entity: string; field: string; count: number; ids: string[] }[];
  seconds: number;
  /** Records read per second over the whole run. */
  rate: number;
}

/** Progress on the terminal: one line per entity when it starts, every few seconds while it runs, and when it ends. */
export class Progress {
  private readonly started = new Map<string, number>();
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly line: (text: string) => void,
    private readonly intervalMs = 2000,
  ) {}

  start(tally: EntityTally): void {
    this.started.set(tally.entity, Date.now());
    this.shown.set(tally.entity, Date.now());
  }

  update(tally: EntityTally): void {
    if (Date.now() - (this.shown.get(tally.entity) ?? 0) < this.intervalMs) return;
    this.shown.set(tally.entity, Date.now());
    this.line(this.describe(tally, false));
  }

  finish(tally: EntityTally): void {
    this.line(this.describe(tally, true));
  }

  /** A wait the source asked for, so a pause is not mistaken for a hang. */
  wait(why: string, ms: number): void {
    this.line(`  waiting ${(ms / 1000).toFixed(1)} s: ${why}`);
  }

  private describe(tally: EntityTally, done: boolean): string {
    const seconds = Math.max(0.001, (Date.now() - (this.started.get(tally.entity) ?? Date.now())) / 1000);
    const rate = tally.read / seconds;
    const counts = `${tally.read}/${Math.max(tally.total, tally.read)}`;
    if (done) return `${tally.entity}: ${counts} read in ${seconds.toFixed(1)} s (${rate.toFixed(0)}/s)`;
    const left = Math.max(0, tally.total - tally.read);
    const eta = rate > 0 ? `${(left / rate).toFixed(0)} s left` : 'time left unknown';
    return `${tally.entity}: ${counts} (${rate.toFixed(0)}/s, ${eta})`;
  }
}

const SHOWN = 20;

/** The final report as text: counts per entity, then every kind of record that did not come in and what to do. */
export function reportLines(report: ImportReport): string[] {
  const lines: string[] = [];
  const verb = report.dry_run ? 'Dry run, nothing written: would import' : 'Imported';
  const total = (key: 'created' | 'updated' | 'unchanged') => report.entities.reduce((sum, e) => sum + e[key], 0);
  lines.push(
    `${verb} from ${report.source}: ${total('created')} new, ${total('updated')} changed, ${total('unchanged')} unchanged, ` +
      `${report.refused.length} refused, in ${report.seconds.toFixed(1)} s (${report.rate.toFixed(0)} records/s read)`,
  );
  const rows = report.entities.filter((e) => e.read > 0 || e.held_back > 0);
  const header = ['ENTITY', 'READ', 'NEW', 'CHANGED', 'UNCHANGED', 'REFUSED', 'HELD BACK'];
  const table = [header, ...rows.map((e) => [e.entity, e.read, e.created, e.updated, e.unchanged, e.refused, e.held_back].map(String))];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) lines.push(`  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()}`);
  const list = <T>(title: string, items: T[], describe: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`);
    for (const item of items.slice(0, SHOWN)) lines.push(`  ${describe(item)}`);
    if (items.length > SHOWN) lines.push(`  ... and ${items.length - SHOWN} more (--json lists them all)`);
  };
  list('Refused', report.refused, (r) => `${r.entity} ${r.id}: ${r.reason}`);
  list('Pointing at records the source no longer has (written without that reference where it is optional, else held back; fix them at the source)', report.dangling, (d) =>
    `${d.entity} ${d.id}: ${d.field} names ${d.missing_entity} ${d.missing_id}`,
  );
  list('Waiting for a record that was refused', report.waiting, (w) => `${w.entity} ${w.id}: ${w.reason}`);
  for (const n of report.not_imported) {
    lines.push(`Not imported: ${n.entity}.${n.field} of ${n.count} record(s), which the source does not show; ${WHAT_TO_DO[`${n.entity}.${n.field}`] ?? 'set it again'}.`);
  }
  if (report.dangling.length + report.waiting.length > 0) lines.push('Records held back are tried again by the next run.');
  return lines;
}
