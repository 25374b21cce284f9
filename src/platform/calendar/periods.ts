/** The `sort_type` codes: one value per day, month, quarter or year. */
export const SORT_TYPES = ['D', 'M', 'Q', 'Y'] as const;
export type SortType = (typeof SORT_TYPES)[number];

/** The period a day (YYYY-MM-DD) falls in, as a key that sorts in time order. */
export function periodOf(day: string, sortType: SortType): string {
  switch (sortType) {
    case 'D':
      return day;
    case 'M':
      return day.slice(0, 7);
    case 'Q':
      return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
    case 'Y':
      return day.slice(0, 4);
  }
}

/**
 * Keeps the last item of each period. Items must be in day order; `merge` folds the items
 * of a period into the one kept, for figures that add up over a period such as cash flows.
 */
export function lastPerPeriod<T extends { date: string }>(items: T[], sortType: SortType | undefined, merge?: (kept: T, period: T[]) => T): T[] {
  if (!sortType || sortType === 'D') return items;
  const periods = new Map<string, T[]>();
  for (const item of items) {
    const key = periodOf(item.date, sortType);
    const members = periods.get(key);
    if (members) members.push(item);
    else periods.set(key, [item]);
  }
  return [...periods.values()].map((members) => {
    const last = members[members.length - 1];
    return merge ? merge(last, members) : last;
  });
}
