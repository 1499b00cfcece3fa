import { checkAlign, checkLength, HEAP_SIZE_MAX, isWholeNumber, alignForward, log2 } from "./checks.js";
import { describe, fail } from "./errors.js";
import {
  FLAG_SEALED, FORMAT_VERSION, H_CURSOR, H_FLAGS, H_MAGIC, H_REGION_COUNT, H_REGION_COUNT_MAX,
  H_SIZE, H_VERSION, HEADER_FIXED_BYTES, HEAP_MAGIC, headerBytes, R_ALIGN_LOG2, R_KIND, R_NAME,
  R_NAME_LENGTH, R_OFFSET, R_SIZE, R_STATE, REGION_COUNT_MAX_DEFAULT, REGION_COUNT_MAX_LIMIT,
  REGION_ENTRY_BYTES, REGION_NAME_MAX, RegionKind, RegionKindName, regionKindName,
} from "./layout.js";

export interface Region {
  /** Byte offset of the region's first byte in the heap. */
  offset: number;
  sizeBytes: number;
  name: string;
  /** Position in the heap's region table. */
  index: number;
}

export interface RegionInfo extends Region {
  kind: RegionKindName;
  alignBytes: number;
}

/**
 * The one ArrayBuffer a program reserves at boot, with views made once over all of it.
 * A pointer is a byte offset into it. `carve` hands out regions and never frees them (the
 * page allocator of this world); `seal` ends boot.
 */
export class BootHeap {
  readonly sizeBytes: number;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;

  constructor(sizeBytes: number, regionCountMax?: number) {
    const countMax = regionCountMax === undefined ? REGION_COUNT_MAX_DEFAULT : regionCountMax;
    if (!isWholeNumber(countMax, REGION_COUNT_MAX_LIMIT) || countMax < 1) {
      fail("InvalidArgument", "regionCountMax must be a whole number from 1 to " + REGION_COUNT_MAX_LIMIT + ", got " + describe(regionCountMax));
    }
    const minBytes = headerBytes(countMax) + 8;
    if (!isWholeNumber(sizeBytes, HEAP_SIZE_MAX) || sizeBytes < minBytes || sizeBytes % 8 !== 0) {
      fail("InvalidArgument", "sizeBytes must be a multiple of 8 from " + minBytes + " to " + HEAP_SIZE_MAX + ", got " + describe(sizeBytes));
    }
    this.sizeBytes = sizeBytes;
    this.buffer = new ArrayBuffer(sizeBytes);
    this.u8 = new Uint8Array(this.buffer);
    this.i8 = new Int8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i16 = new Int16Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    const u32 = this.u32;
    const u16 = this.u16;
    u32[H_MAGIC >> 2] = HEAP_MAGIC;
    u16[H_VERSION >> 1] = FORMAT_VERSION;
    u16[H_FLAGS >> 1] = 0;
    u32[H_SIZE >> 2] = sizeBytes;
    u32[H_CURSOR >> 2] = headerBytes(countMax);
    u16[H_REGION_COUNT >> 1] = 0;
    u16[H_REGION_COUNT_MAX >> 1] = countMax;
  }

  get sealed(): boolean {
    return (this.u16[H_FLAGS >> 1] & FLAG_SEALED) !== 0;
  }

  /** Bytes not yet carved (before alignment of the next region). */
  get uncarvedBytes(): number {
    return this.sizeBytes - this.u32[H_CURSOR >> 2];
  }

  /**
   * Reserves `sizeBytes` at an `align`-aligned offset for the region called `name`.
   * Throws code Sealed after `seal()`, OutOfMemory if the heap cannot hold it.
   */
  carve(sizeBytes: number, align: number, name: string): Region {
    checkLength("sizeBytes", sizeBytes);
    if (sizeBytes === 0) fail("InvalidArgument", "sizeBytes must be at least 1, got 0");
    const alignBytes = checkAlign(align, 8);
    if (typeof name !== "string" || name.length < 1 || name.length > REGION_NAME_MAX || !/^[\x21-\x7e]+$/.test(name)) {
      fail("InvalidArgument", "name must be 1 to " + REGION_NAME_MAX + " printable ASCII characters without spaces, got " + describe(name));
    }
    if (this.sealed) fail("Sealed", "the heap is sealed; cannot carve region " + describe(name) + " after boot");
    const count = this.u16[H_REGION_COUNT >> 1];
    const countMax = this.u16[H_REGION_COUNT_MAX >> 1];
    if (count >= countMax) fail("OutOfMemory", "the region table is full (" + countMax + " regions); cannot carve " + describe(name));
    for (let i = 0; i < count; i++) {
      if (this.regionName(i) === name) fail("InvalidArgument", "a region named " + describe(name) + " already exists");
    }
    const offset = alignForward(this.u32[H_CURSOR >> 2], alignBytes);
    if (offset + sizeBytes > this.sizeBytes) {
      fail("OutOfMemory", "region " + describe(name) + " needs " + sizeBytes + " bytes at offset " + offset + " but the heap has " + (this.sizeBytes - offset) + " left");
    }
    const entry = HEADER_FIXED_BYTES + count * REGION_ENTRY_BYTES;
    this.u32[(entry + R_OFFSET) >> 2] = offset;
    this.u32[(entry + R_SIZE) >> 2] = sizeBytes;
    this.u8[entry + R_KIND] = RegionKind.unclaimed;
    this.u8[entry + R_ALIGN_LOG2] = log2(alignBytes);
    this.u8[entry + R_NAME_LENGTH] = name.length;
    for (let i = 0; i < name.length; i++) this.u8[entry + R_NAME + i] = name.charCodeAt(i);
    this.u32[H_CURSOR >> 2] = offset + sizeBytes;
    this.u16[H_REGION_COUNT >> 1] = count + 1;
    return { offset: offset, sizeBytes: sizeBytes, name: name, index: count };
  }

  /** Ends boot: from now on `carve` throws code Sealed. */
  seal(): void {
    this.u16[H_FLAGS >> 1] |= FLAG_SEALED;
  }

  /**
   * Records that an allocator of `kind` manages `region`. A region serves one allocator:
   * claiming it twice, or a region this heap did not carve, throws InvalidArgument.
   * Returns the byte offset of the region's REGION_STATE_WORDS state words (8-aligned).
   */
  claim(region: Region, kind: RegionKindName): number {
    // The region must be one this heap carved (its table entry checked in place: a private
    // method would cost the interpreter a function for this one caller).
    const count = this.u16[H_REGION_COUNT >> 1];
    if (region === null || typeof region !== "object" || !isWholeNumber(region.index, count - 1)) {
      fail("InvalidArgument", "region must be one returned by this heap's carve(), got " + describe(region));
    }
    const entry = HEADER_FIXED_BYTES + region.index * REGION_ENTRY_BYTES;
    if (this.u32[(entry + R_OFFSET) >> 2] !== region.offset || this.u32[(entry + R_SIZE) >> 2] !== region.sizeBytes) {
      fail("InvalidArgument", "region " + describe(region.name) + " does not match this heap's region table");
    }
    const current = this.u8[entry + R_KIND];
    if (current !== RegionKind.unclaimed) {
      fail("InvalidArgument", "region " + describe(region.name) + " is already managed by a " + regionKindName(current) + " allocator");
    }
    this.u8[entry + R_KIND] = RegionKind[kind];
    return entry + R_STATE;
  }

  /** The region table, read back from the header. */
  regions(): RegionInfo[] {
    const out: RegionInfo[] = [];
    const count = this.u16[H_REGION_COUNT >> 1];
    for (let i = 0; i < count; i++) {
      const entry = HEADER_FIXED_BYTES + i * REGION_ENTRY_BYTES;
      out.push({
        offset: this.u32[(entry + R_OFFSET) >> 2],
        sizeBytes: this.u32[(entry + R_SIZE) >> 2],
        name: this.regionName(i),
        index: i,
        kind: regionKindName(this.u8[entry + R_KIND]),
        alignBytes: 1 << this.u8[entry + R_ALIGN_LOG2],
      });
    }
    return out;
  }

  private regionName(index: number): string {
    const entry = HEADER_FIXED_BYTES + index * REGION_ENTRY_BYTES;
    const length = this.u8[entry + R_NAME_LENGTH];
    let name = "";
    for (let i = 0; i < length; i++) name += String.fromCharCode(this.u8[entry + R_NAME + i]);
    return name;
  }
}
