/**
 * PostgreSQL stores no NUL character in text or jsonb, so a request carrying one anywhere (a
 * value, a key, a query parameter) is refused up front with the field named, never left to
 * fail as a 500 in the database.
 */

interface Place {
  parent: Place | undefined;
  /** ".key" or "[index]" */
  step: string;
}

function fieldOf(place: Place | undefined): string {
  const steps: string[] = [];
  for (let at = place; at; at = at.parent) steps.push(at.step);
  return steps.reverse().join('').replace(/^\./, '');
}

/**
 * Where the first NUL is in a parsed JSON value or a query object ("" for the value itself), or
 * undefined. Walked with a stack of its own, since a body may nest deeper than a call stack,
 * and with the path kept as links, built only for the field reported.
 */
export function findNul(value: unknown): string | undefined {
  const pending: [unknown, Place | undefined][] = [[value, undefined]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, place] = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return fieldOf(place);
    } else if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) pending.push([item[index], { parent: place, step: `[${index}]` }]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (const [key] of entries) if (key.includes('\u0000')) return fieldOf({ parent: place, step: `.${key}` });
      for (let index = entries.length - 1; index >= 0; index--) pending.push([entries[index][1], { parent: place, step: `.${entries[index][0]}` }]);
    }
  }
  return undefined;
}
