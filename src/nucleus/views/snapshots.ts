import { inRange, type DayRange } from '../../platform/calendar/days.ts';

/** One line of a dated snapshot: a source (portfolio, model) holding one item (a security) on a day. */
export interface SnapshotLine {
  source: string;
  day: string;
  /** Orders lines of the same source, day and item: the last one is a correction of the others. */
  at: string;
  item: string;
}

export interface AsOf<T> {
  day: string;
  lines: T[];
}

/**
 * What every source held on each day of the range. A source's lines of one day form its
 * snapshot; on a day it has no snapshot, its last one counts (also one from before the
 * range). The days reported are those on which some source has a snapshot; with
 * `latestOnly`, just the last of them.
 */
export function snapshotsAsOf<T extends SnapshotLine>(lines: readonly T[], options: { range?: DayRange; latestOnly?: boolean } = {}): AsOf<T>[] {
  const range = options.range ?? {};
  const bySource = new Map<string, Map<string, Map<string, T>>>();
  for (const line of lines) {
    if (range.end !== undefined && line.day > range.end) continue;
    let days = bySource.get(line.source);
    if (!days) bySource.set(line.source, (days = new Map()));
    let items = days.get(line.day);
    if (!items) days.set(line.day, (items = new Map()));
    const earlier = items.get(line.item);
    if (!earlier || earlier.at <= line.at) items.set(line.item, line);
  }
  const reported = [...new Set([...bySource.values()].flatMap((days) => [...days.keys()]))].filter((day) => inRange(day, range)).sort();
  const days = options.latestOnly ? reported.slice(-1) : reported;
  const sourceDays = new Map([...bySource].map(([source, snapshots]) => [source, [...snapshots.keys()].sort()]));
  return days.map((day) => {
    const held: T[] = [];
    for (const [source, snapshotDays] of sourceDays) {
      const last = snapshotDays.filter((d) => d <= day).pop();
      if (last !== undefined) held.push(...bySource.get(source)!.get(last)!.values());
    }
    return { day, lines: held };
  });
}
