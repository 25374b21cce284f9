/**
 * How deep a request body may nest arrays and objects. Hydrogen's deepest documented body
 * nests five levels; a body nesting thousands (sent by mistake or on purpose) would make every
 * walk over it (validation, storage, a bulk job) run out of call stack, so it is refused up
 * front, before it is parsed.
 */
export const MAX_NESTING = 32;

/** A string, or one bracket; what lies between cannot nest. */
const STRING_OR_BRACKET = /"(?:[^"\\]|\\.)*"|[[\]{}]/g;

/** Where in a JSON text the first array or object nested deeper than MAX_NESTING opens, or -1. */
export function tooDeepAt(text: string): number {
  let depth = 0;
  STRING_OR_BRACKET.lastIndex = 0;
  for (let match = STRING_OR_BRACKET.exec(text); match; match = STRING_OR_BRACKET.exec(text)) {
    const token = match[0];
    if (token === '[' || token === '{') {
      depth += 1;
      if (depth > MAX_NESTING) return match.index;
    } else if (token === ']' || token === '}') depth -= 1;
  }
  return -1;
}
