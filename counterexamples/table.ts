/**
 * Plain-text columns: each cell padded to its column's widest, two spaces apart.
 *
 * @example
 * table([['id', 'class'], ['deadlock', 'liveness']]); // ['id        class', 'deadlock  liveness']
 */
export function table(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => maxOf(rows.map((r) => r[i].length)));
  return rows.map((cells) => cells.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
}

/**
 * The largest of `values`, or `floor` when there are none (or all are smaller). A loop, not
 * `Math.max(...values)`, which passes one argument per value and overflows the stack on a
 * trace of 100,000+ steps.
 *
 * @example
 * maxOf(steps.map((s) => s.action.length), 4);
 */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}
