/** Counted nouns for people: "1 work order", "3 work orders". Pure. */

/** `n` and the noun in the number it needs (`many` for irregular plurals). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The noun alone, in the number `n` needs. */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
