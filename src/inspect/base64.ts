const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 of bytes [start, end), written by hand: btoa is not on every engine. */
export function encodeBase64(bytes: ArrayLike<number>, start: number, end: number): string {
  let out = "";
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63) + ALPHABET.charAt(n & 63);
  }
  if (end - i === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + "==";
  } else if (end - i === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63) + "=";
  }
  return out;
}

/** Decodes base64 into `out` from `offset`; returns the number of bytes written, or -1 on a bad character. */
export function decodeBase64(text: string, out: { [i: number]: number; length: number }, offset: number): number {
  let bits = 0;
  let value = 0;
  let n = offset;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "=") break;
    const d = ALPHABET.indexOf(c);
    if (d < 0) return -1;
    value = ((value << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n < out.length) out[n] = (value >> bits) & 255;
      n++;
    }
  }
  return n - offset;
}
