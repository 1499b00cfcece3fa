/** Adler-32 of bytes [start, end): cheap on a microcontroller, no table to keep in RAM. */
export function adler32(bytes: ArrayLike<number>, start: number, end: number): number {
  let a = 1;
  let b = 0;
  let i = start;
  while (i < end) {
    // 5552 bytes is the most that can be summed before b might pass 2^32 (zlib's NMAX).
    const stop = end - i > 5552 ? i + 5552 : end;
    for (; i < stop; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return (b * 65536 + a) >>> 0;
}
