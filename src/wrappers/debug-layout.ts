// The DebugAllocator's region (claimed as kind "debug") is a 48-byte header and then a table of
// 32-byte records, one per allocation it tracks. Everything is u32 words, little-endian:
//
//   header  0 magic "DBGA"          24 bug reports so far
//           4 record count           28 flags (bit 0 captureStack, bit 1 table-full reported)
//           8 canary bytes           32 default tag for alloc() without one
//          12 quarantine bytes max   36 allocations refused (limit, table full, child empty)
//          16 memory limit (0=none)  40 next record to try (round robin)
//          20 peak live bytes        44 reserved
//
//   record  0 ptr (what the caller got)      16 state | log2(align) << 8 | tag << 16
//           4 len (what the caller asked)    20 sequence number of the alloc
//           8 child block start (raw)        24 sequence number of the free (0 while live)
//          12 child block length             28 next record in quarantine (index + 1, 0 = none)
//
// Record states: empty (never used), live, quarantined (freed, poisoned, still held from the
// child), freed (memory back with the child; the record stays as history so a second free is
// named a double free until the record is reused). The region's 6 state words in the heap
// header hold the sequence counter, live count, live bytes, quarantined bytes and the
// quarantine's head and tail.
//
// A block from the child is [front canary][caller's bytes][back canary]: the front canary fills
// the padding up to the caller's alignment (at least canaryBytes), the back canary is exactly
// canaryBytes right after the last byte asked for, so a write one byte past the end is caught.

export const DEBUG_MAGIC = 0x41474244;
export const DEBUG_HEADER_BYTES = 48;
export const DEBUG_RECORD_BYTES = 32;
/** Freed and never-initialised bytes read as this (Zig's `undefined` in Debug builds). */
export const POISON_BYTE = 0xaa;
export const CANARY_BYTE = 0xfd;

export const H_MAGIC = 0;
export const H_RECORDS = 1;
export const H_CANARY = 2;
export const H_QMAX = 3;
export const H_LIMIT = 4;
export const H_PEAK = 5;
export const H_REPORTS = 6;
export const H_FLAGS = 7;
export const H_TAG = 8;
export const H_REFUSED = 9;
export const H_CURSOR = 10;

export const F_STACKS = 1;
export const F_FULL_REPORTED = 2;

export const E_PTR = 0;
export const E_LEN = 1;
export const E_RAW = 2;
export const E_RAW_LEN = 3;
export const E_INFO = 4;
export const E_ALLOC_SEQ = 5;
export const E_FREE_SEQ = 6;
export const E_NEXT = 7;

export const EMPTY = 0;
export const LIVE = 1;
export const QUARANTINED = 2;
export const FREED = 3;

export const S_SEQ = 0;
export const S_LIVE = 1;
export const S_LIVE_BYTES = 2;
export const S_QBYTES = 3;
export const S_QHEAD = 4;
export const S_QTAIL = 5;
