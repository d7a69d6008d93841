/**
 * Plain-text columns: each cell padded to its column's widest, two spaces apart.
 *
 * @example
 * table([['id', 'class'], ['deadlock', 'liveness']]); // ['id        class', 'deadlock  liveness']
 */
export function table(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((cells) => cells.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
}
