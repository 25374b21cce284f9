import type { Database } from '../db/database.ts';
import { entityPath, type EntityDeclaration } from '../entity/declaration.ts';
import { advance, loadCheckpoint, loadPending, type Checkpoint, type PendingRecord } from './checkpoint.ts';
import { importOrder, type ImportStep } from './import-order.ts';
import type { BatchResult, RecordWriter } from './record-writer.ts';
import type { EntityTally, ImportReport, Progress } from './report.ts';
import type { SourceReader } from './source-reader.ts';

export interface ImportOptions {
  tenantId: string;
  /** The source's base URL as checkpoints are kept by it. */
  source: string;
  dryRun: boolean;
  concurrency: number;
  pageSize: number;
}

/** References that still point nowhere after the second pass, checked against the source at most this many times. */
const MAX_SOURCE_CHECKS = 1000;

/**
 * Reads every listed entity of the source and writes it into the tenant: entities whose
 * parents are in run side by side (up to `concurrency`), each read page by page in the
 * order of update_date from its checkpoint. Then a second pass writes the records held
 * back for a reference that was not in yet (cycles, self-references, pages out of order).
 */
export class Importer {
  private readonly tallies = new Map<string, EntityTally>();
  /** In a dry run nothing is held back in the database, so the second pass finds them here. */
  private readonly heldBack = new Map<string, PendingRecord[]>();
  private readonly report: Omit<ImportReport, 'entities' | 'seconds' | 'rate'>;
  private readonly byName: Map<string, EntityDeclaration>;
  /** Ids of this run's records already in the tallies. */
  private readonly counted = new Set<string>();

  constructor(
    private readonly db: Database,
    declarations: EntityDeclaration[],
    private readonly reader: SourceReader,
    private readonly writer: RecordWriter,
    private readonly progress: Progress,
    private readonly options: ImportOptions,
  ) {
    this.byName = new Map(declarations.map((d) => [d.name, d]));
    this.report = { source: options.source, dry_run: options.dryRun, refused: [], dangling: [], waiting: [], not_imported: [] };
  }

  async run(): Promise<ImportReport> {
    const started = Date.now();
    const steps = importOrder([...this.byName.values()]);
    for (const step of steps) this.tallies.set(step.entity, { entity: step.entity, total: 0, read: 0, created: 0, updated: 0, unchanged: 0, refused: 0, held_back: 0 });
    await this.schedule(steps);
    await this.secondPass(steps);
    await this.explainLeftovers(steps);
    const seconds = (Date.now() - started) / 1000;
    const entities = [...this.tallies.values()];
    const read = entities.reduce((sum, t) => sum + t.read, 0);
    return { ...this.report, entities, seconds, rate: seconds > 0 ? read / seconds : read };
  }

  /** Starts each entity once all it points at is done, at most `concurrency` at a time; the first failure stops the run. */
  private async schedule(steps: ImportStep[]): Promise<void> {
    const done = new Set<string>();
    const waiting = [...steps];
    const running = new Map<string, Promise<void>>();
    let failure: unknown;
    while ((waiting.length > 0 && failure === undefined) || running.size > 0) {
      while (failure === undefined && running.size < this.options.concurrency) {
        const ready = waiting.findIndex((step) => step.after.every((parent) => done.has(parent)));
        if (ready === -1) break;
        const [step] = waiting.splice(ready, 1);
        running.set(
          step.entity,
          this.importEntity(step.entity).then(
            () => {
              done.add(step.entity);
              running.delete(step.entity);
            },
            (error: unknown) => {
              failure ??= error;
              running.delete(step.entity);
            },
          ),
        );
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (failure !== undefined) throw failure;
  }

  private async importEntity(entity: string): Promise<void> {
    const tally = this.tallies.get(entity)!;
    const path = entityPath(this.byName.get(entity)!);
    const checkpoint: Checkpoint = await loadCheckpoint(this.db, this.options.tenantId, this.options.source, entity);
    const read = (at: Checkpoint) => this.reader.page(path, at.page, this.options.pageSize, at.since);
    this.progress.start(tally);
    let page = await read(checkpoint);
    tally.total = page.total_elements;
    for (let at = checkpoint; ; ) {
      const done = page.last || page.content.length === 0;
      const { next, fresh } = advance(at, page.content, done);
      // The next page is asked for while this one is written: where it starts is known already.
      const following = done ? undefined : read(next);
      following?.catch(() => {});
      tally.read += page.content.length;
      const result = await this.writer.write(entity, fresh, this.options.dryRun ? undefined : next);
      this.add(tally, result);
      if (this.options.dryRun) this.heldBack.set(entity, [...(this.heldBack.get(entity) ?? []), ...result.pending]);
      this.progress.update(tally);
      if (!following) break;
      page = await following;
      at = next;
    }
    this.progress.finish(tally);
  }

  private add(tally: EntityTally, result: BatchResult): void {
    for (const id of result.written) this.counted.add(id);
    tally.created += result.created;
    tally.updated += result.updated;
    tally.unchanged += result.unchanged;
    tally.refused += result.refused.length;
    this.report.refused.push(...result.refused);
    for (const { entity, id, field } of result.notImported) {
      let entry = this.report.not_imported.find((n) => n.entity === entity && n.field === field);
      if (!entry) {
        entry = { entity, field, count: 0, ids: [] };
        this.report.not_imported.push(entry);
      }
      entry.count++;
      if (entry.ids.length < 20) entry.ids.push(id);
    }
  }

  private async pendingOf(entity: string): Promise<PendingRecord[]> {
    if (this.options.dryRun) return this.heldBack.get(entity) ?? [];
    return loadPending(this.db, this.options.tenantId, this.options.source, entity);
  }

  /** Writes what was held back, round after round while fewer remain (a chain of self-references takes several). */
  private async secondPass(steps: ImportStep[]): Promise<void> {
    for (let left = Infinity; ; ) {
      let now = 0;
      for (const { entity } of steps) {
        const pending = await this.pendingOf(entity);
        if (pending.length === 0) continue;
        const result = await this.writer.write(entity, pending.map((p) => p.record), undefined, true);
        if (this.options.dryRun) this.heldBack.set(entity, result.pending);
        this.addSecond(this.tallies.get(entity)!, result);
        now += result.pending.length;
      }
      if (now === 0 || now >= left) return;
      left = now;
    }
  }

  /** A record completed by the second pass was counted when first written; one held back whole was not. */
  private addSecond(tally: EntityTally, result: BatchResult): void {
    for (const id of result.createdIds) {
      if (this.counted.has(id)) continue;
      this.counted.add(id);
      tally.created++;
    }
    tally.refused += result.refused.length;
    this.report.refused.push(...result.refused);
  }

  /** Tells a reference the source itself broke (its target deleted there) from one to a record refused here. */
  private async explainLeftovers(steps: ImportStep[]): Promise<void> {
    let checks = 0;
    for (const { entity } of steps) {
      const pending = await this.pendingOf(entity);
      this.tallies.get(entity)!.held_back = pending.length;
      for (const p of pending) {
        const target = this.byName.get(p.missingEntity);
        const gone = target && checks++ < MAX_SOURCE_CHECKS ? !(await this.reader.has(entityPath(target), p.missingId)) : false;
        const field = p.reason.slice(0, p.reason.indexOf(':'));
        if (gone) this.report.dangling.push({ entity, id: p.record.id, field, missing_entity: p.missingEntity, missing_id: p.missingId });
        else this.report.waiting.push({ entity, id: p.record.id, reason: p.reason });
      }
    }
  }
}
