// 1-bit codes for vectors: one sign bit per dimension, packed 32 to a Uint32 word, and the
// Hamming distance between two codes. Kept apart from VectorIndex so both can be tested alone.

/** Number of 32-bit words that hold one code of `dims` bits. */
export function codeWords(dims: number): number {
  return Math.ceil(dims / 32);
}

/**
 * Writes the sign code of `vector - centre` into `out[offset .. offset + codeWords(dims))`.
 * Bit j of word w is set when component w*32+j is at or above the centre. Unused high bits of
 * the last word stay 0 in every code, so they never add to a distance.
 */
export function encodeSigns(vector: Float32Array, vectorOffset: number, dims: number, centre: Float32Array, out: Uint32Array, offset: number): void {
  const words = codeWords(dims);
  for (let w = 0; w < words; w++) {
    const start = w * 32;
    let bits = 0;
    // High bit first, shifting down; `+(a >= b)` compiles without a branch (~4x faster than
    // `if`, whose outcome is a coin flip for centred data).
    for (let d = Math.min(start + 32, dims) - 1; d >= start; d--) {
      bits = (bits << 1) | +(vector[vectorOffset + d]! >= centre[d]!);
    }
    out[offset + w] = bits >>> 0;
  }
}

/** Bits set in a 32-bit integer (the classic parallel bit count, no lookup table). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Hamming distances from `query` (one code of `words` words) to the first `count` codes in
 * `codes`, written to `out[0 .. count)`. When `histogram` is given, `histogram[d]` is also
 * incremented for every distance d (saves the caller a second pass over `out`).
 *
 * This is the index's hot loop. Rather than one bit count per word, it runs a carry-save adder
 * tree (the Harley-Seal method) over blocks of 8 words: bits are summed as binary digits across
 * words (ones, twos, fours, eights), so a block costs a few bit counts plus cheap logic.
 * 8-word codes (the first stage of 512-bit codes) get an unrolled version with the query held
 * in locals; together these measured ~2x faster than one bit count per word.
 */
export function hammingDistances(codes: Uint32Array, words: number, count: number, query: Uint32Array, out: Uint16Array, histogram?: Uint32Array): void {
  if (words === 8) hamming8(codes, count, query, out, histogram);
  else hammingAny(codes, words, count, query, out, histogram);
}

/** Hamming distances from `query` to the codes in the listed slots: out[j] for slots[j]. */
export function hammingDistancesOf(codes: Uint32Array, words: number, slots: Int32Array, count: number, query: Uint32Array, out: Uint16Array): void {
  for (let j = 0; j < count; j++) {
    const base = slots[j]! * words;
    let distance = 0;
    for (let w = 0; w < words; w++) distance += popcount32(codes[base + w]! ^ query[w]!);
    out[j] = distance;
  }
}

function hammingAny(codes: Uint32Array, words: number, count: number, query: Uint32Array, out: Uint16Array, histogram: Uint32Array | undefined): void {
  const blockEnd = words - (words & 7);
  for (let i = 0, base = 0; i < count; i++, base += words) {
    let ones = 0;
    let twos = 0;
    let fours = 0;
    let eights = 0;
    let sixteens = 0;
    let w = 0;
    for (; w < blockEnd; w += 8) {
      const p = base + w;
      const a0 = codes[p]! ^ query[w]!;
      const a1 = codes[p + 1]! ^ query[w + 1]!;
      const a2 = codes[p + 2]! ^ query[w + 2]!;
      const a3 = codes[p + 3]! ^ query[w + 3]!;
      const a4 = codes[p + 4]! ^ query[w + 4]!;
      const a5 = codes[p + 5]! ^ query[w + 5]!;
      const a6 = codes[p + 6]! ^ query[w + 6]!;
      const a7 = codes[p + 7]! ^ query[w + 7]!;
      // Each step is a full adder on 32 lanes at once: (carry, sum) = x + y + z, bitwise.
      let u = ones ^ a0;
      const twosA = (ones & a0) | (u & a1);
      ones = u ^ a1;
      u = ones ^ a2;
      const twosB = (ones & a2) | (u & a3);
      ones = u ^ a3;
      u = twos ^ twosA;
      const foursA = (twos & twosA) | (u & twosB);
      twos = u ^ twosB;
      u = ones ^ a4;
      const twosC = (ones & a4) | (u & a5);
      ones = u ^ a5;
      u = ones ^ a6;
      const twosD = (ones & a6) | (u & a7);
      ones = u ^ a7;
      u = twos ^ twosC;
      const foursB = (twos & twosC) | (u & twosD);
      twos = u ^ twosD;
      u = fours ^ foursA;
      const eightsA = (fours & foursA) | (u & foursB);
      fours = u ^ foursB;
      sixteens += popcount32(eights & eightsA);
      eights ^= eightsA;
    }
    let rest = 0;
    for (; w < words; w++) rest += popcount32(codes[base + w]! ^ query[w]!);
    const distance = 16 * sixteens + 8 * popcount32(eights) + 4 * popcount32(fours) + 2 * popcount32(twos) + popcount32(ones) + rest;
    out[i] = distance;
    if (histogram) histogram[distance]!++;
  }
}

/** hammingAny for exactly 8 words, unrolled, with the accumulators' zero start folded in. */
function hamming8(codes: Uint32Array, count: number, query: Uint32Array, out: Uint16Array, histogram: Uint32Array | undefined): void {
  const q0 = query[0]!,
    q1 = query[1]!,
    q2 = query[2]!,
    q3 = query[3]!;
  const q4 = query[4]!,
    q5 = query[5]!,
    q6 = query[6]!,
    q7 = query[7]!;
  for (let i = 0, p = 0; i < count; i++, p += 8) {
    let a = codes[p]! ^ q0;
    let b = codes[p + 1]! ^ q1;
    let c = codes[p + 2]! ^ q2;
    let d = codes[p + 3]! ^ q3;
    let ones = a ^ b;
    let twosA = a & b;
    let u = ones ^ c;
    let twosB = (ones & c) | (u & d);
    ones = u ^ d;
    let twos = twosA ^ twosB;
    const foursA = twosA & twosB;
    a = codes[p + 4]! ^ q4;
    b = codes[p + 5]! ^ q5;
    c = codes[p + 6]! ^ q6;
    d = codes[p + 7]! ^ q7;
    u = ones ^ a;
    twosA = (ones & a) | (u & b);
    ones = u ^ b;
    u = ones ^ c;
    twosB = (ones & c) | (u & d);
    ones = u ^ d;
    u = twos ^ twosA;
    const foursB = (twos & twosA) | (u & twosB);
    twos = u ^ twosB;
    const distance = 8 * popcount32(foursA & foursB) + 4 * popcount32(foursA ^ foursB) + 2 * popcount32(twos) + popcount32(ones);
    out[i] = distance;
    if (histogram) histogram[distance]!++;
  }
}
