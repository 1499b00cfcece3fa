// How the device lays values out in JsVar blocks, derived as the interpreter derives it
// (Espruino 2v29, src/jsutils.h): the number of JsVars fixes the width of a reference (10 to 16
// bits, 32 on the resizable Linux build), and the block size then says how many characters a
// name block, a first string block and an extension string block hold. Checked on the Linux
// build with 3000 JsVars of 17 bytes (12-bit references, 8-character names; docs/EMULATOR.md):
// E.getSizeOf("x".repeat(12)) = 1, (13) = 2, (25) = 2, (26) = 3; { abcdefgh: 1 } = 2,
// { abcdefghi: 1 } = 3; { a: 2047 } = 2, { a: 2048 } = 3.

/** Reference width and reference-count bits for a JsVar store of `jsVars` blocks (jsutils.h). */
function referenceBits(jsVars: number, blockBytes: number): { ref: number; count: number; pack: number } {
  // The resizable (Linux, 64-bit) build: 32-bit references, 27-byte blocks.
  if (blockBytes >= 27) return { ref: 32, count: 8, pack: 0 };
  if (jsVars <= 254) return { ref: 8, count: 6, pack: 8 };
  if (jsVars <= 1023) return { ref: 10, count: 6, pack: 2 };
  if (jsVars <= 2047) return { ref: 11, count: 4, pack: 0 };
  if (jsVars <= 4095) return { ref: 12, count: 8, pack: 0 };
  if (jsVars <= 8191) return { ref: 13, count: 4, pack: 0 };
  if (jsVars <= 16383) return { ref: 14, count: 8, pack: 0 };
  return { ref: 16, count: 8, pack: 0 };
}

/** Bytes of a block that are not references: 2 of flags, the rest holds a name's characters. */
const FLAGS_BYTES = 2;

export class DeviceLayout {
  /** Characters in a name block (a property name, an array index, a parameter). */
  readonly nameChars: number;
  /** Characters in a string's first block. */
  readonly firstChars: number;
  /** Characters in each further block of a string (a string extension). */
  readonly extChars: number;
  /** Integers in [intMin, intMax] live inside the name that holds them (no block of their own). */
  readonly intMin: number;
  readonly intMax: number;

  constructor(jsVars: number, readonly blockBytes: number) {
    const bits = referenceBits(jsVars, blockBytes);
    const refBytes = Math.floor((bits.ref * 4 + bits.count + bits.pack) / 8);
    this.nameChars = Math.max(4, blockBytes - FLAGS_BYTES - refBytes);
    this.firstChars = this.nameChars + Math.floor((bits.ref * 3 + bits.pack) / 8);
    this.extChars = this.nameChars + Math.floor((bits.ref * 3 + bits.pack + bits.count) / 8);
    this.intMax = 2 ** (bits.ref - 1) - 1;
    this.intMin = -(2 ** (bits.ref - 1));
  }

  /** Blocks of a string value of `chars` characters. */
  stringBlocks(chars: number): number {
    return chars <= this.firstChars ? 1 : 1 + Math.ceil((chars - this.firstChars) / this.extChars);
  }

  /**
   * Blocks of text copied from the program's source (a function's code): above the break-even
   * length of a two-block string it is a flat string, a header block and the characters packed
   * in whole blocks (jslNewStringFromLexer); shorter, a string as any other.
   */
  codeBlocks(chars: number): number {
    return chars > this.firstChars + this.extChars ? 1 + Math.ceil(chars / this.blockBytes) : this.stringBlocks(chars);
  }

  /** Blocks of a name (property name, parameter, variable) of `chars` characters. */
  nameBlocks(chars: number): number {
    return chars <= this.nameChars ? 1 : 1 + Math.ceil((chars - this.nameChars) / this.extChars);
  }

  /** Whether a value stored under a name costs no block of its own (small ints; undefined). */
  isInline(v: unknown): boolean {
    return v === undefined || (typeof v === "number" && Number.isInteger(v) && v >= this.intMin && v <= this.intMax && !Object.is(v, -0));
  }
}
