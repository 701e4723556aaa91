let bufA = new Int32Array(64);
let bufB = new Int32Array(64);
let bufC = new Int32Array(64);

/**
 * Optimal-string-alignment (Damerau) edit distance with an upper bound: returns
 * `max + 1` as soon as the distance must exceed `max`. Transposed letters count 1.
 * @example editDistance('ausweiss', 'ausweis', 2) === 1
 */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  // Reused row buffers: this runs thousands of times per query on large catalogs.
  if (bufA.length < lb + 1) {
    bufA = new Int32Array(lb + 1);
    bufB = new Int32Array(lb + 1);
    bufC = new Int32Array(lb + 1);
  }
  let prev2 = bufA;
  let prev = bufB;
  let cur = bufC;
  prev2.fill(0);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb]!;
}
