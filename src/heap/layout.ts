// The heap header at offset 0 (little-endian, every field naturally aligned). Offset 0 is
// the header, so no allocation can ever be at 0 and 0 is free to mean "null / out of memory".
//
//   0  u32 magic "BHEP"          16  u16 regionCount
//   4  u16 format version        18  u16 regionCountMax
//   6  u16 flags (bit 0: sealed) 20  u32 reserved (0)
//   8  u32 sizeBytes             24  region table: regionCountMax entries of REGION_ENTRY_BYTES
//  12  u32 carve cursor
//
// A region entry: u32 offset, u32 sizeBytes, u8 kind, u8 log2(align), u8 name length,
// u8 reserved, the name in REGION_NAME_MAX ASCII bytes, then REGION_STATE_WORDS u32 words of
// state for the allocator that claims the region (cursors, counters, list heads). Keeping that
// state here lets a region be used whole for data (40 slots of 64 bytes fit in 64 * 40 bytes)
// while every byte of allocator state stays inside the buffer.

export const HEAP_MAGIC = 0x50454842;
export const FORMAT_VERSION = 1;
export const FLAG_SEALED = 1;
export const HEADER_FIXED_BYTES = 24;
export const REGION_ENTRY_BYTES = 48;
export const REGION_NAME_MAX = 12;
export const REGION_COUNT_MAX_DEFAULT = 8;
export const REGION_COUNT_MAX_LIMIT = 64;

export const H_MAGIC = 0;
export const H_VERSION = 4;
export const H_FLAGS = 6;
export const H_SIZE = 8;
export const H_CURSOR = 12;
export const H_REGION_COUNT = 16;
export const H_REGION_COUNT_MAX = 18;

export const R_OFFSET = 0;
export const R_SIZE = 4;
export const R_KIND = 8;
export const R_ALIGN_LOG2 = 9;
export const R_NAME_LENGTH = 10;
export const R_NAME = 12;
export const R_STATE = 24;
export const REGION_STATE_WORDS = 6;

/** What owns a region, recorded in its table entry so host tools can read an image. */
export const RegionKind = {
  unclaimed: 0,
  fixed: 1,
  pool: 2,
  stack: 3,
  tlsf: 4,
  debug: 5,
  raw: 6,
} as const;
export type RegionKindName = keyof typeof RegionKind;

export function regionKindName(kind: number): RegionKindName {
  const names = Object.keys(RegionKind) as RegionKindName[];
  for (let i = 0; i < names.length; i++) if (RegionKind[names[i]] === kind) return names[i];
  return "unclaimed";
}

export function headerBytes(regionCountMax: number): number {
  return HEADER_FIXED_BYTES + regionCountMax * REGION_ENTRY_BYTES;
}
