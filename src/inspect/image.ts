// The heap image: every byte of the heap, with a checksum, as text lines for a serial console
// (MEM.dump()) or as a Storage file (MEM.save()). Restoring refuses an image whose checksum,
// format version, size or region table does not match, and then leaves the heap untouched.
import type { BootHeap } from "../heap/boot-heap.js";
import { FORMAT_VERSION, H_MAGIC, H_SIZE, H_VERSION, HEAP_MAGIC, HEADER_FIXED_BYTES, H_REGION_COUNT, R_STATE, REGION_ENTRY_BYTES } from "../heap/layout.js";
import { encodeBase64 } from "./base64.js";
import { adler32 } from "./checksum.js";

/** Bytes of heap per dump line: 64 characters of base64. */
export const DUMP_LINE_BYTES = 48;
export const DUMP_BEGIN = "=== bootheap image v";
export const DUMP_END = "=== end ===";

export function hex32(n: number): string {
  let s = (n >>> 0).toString(16);
  while (s.length < 8) s = "0" + s;
  return s;
}

/** Emits the image line by line, so the board never holds the whole base64 text at once. */
export function dumpImage(heap: BootHeap, emit: (line: string) => void): void {
  emit(DUMP_BEGIN + FORMAT_VERSION + " sizeBytes=" + heap.sizeBytes + " adler32=" + hex32(adler32(heap.u8, 0, heap.sizeBytes)) + " ===");
  for (let i = 0; i < heap.sizeBytes; i += DUMP_LINE_BYTES) {
    emit(encodeBase64(heap.u8, i, i + DUMP_LINE_BYTES < heap.sizeBytes ? i + DUMP_LINE_BYTES : heap.sizeBytes));
  }
  emit(DUMP_END);
}

function word(bytes: ArrayLike<number>, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * Why `bytes` (a whole heap image whose checksum is `checksum`) cannot replace `heap`, or ""
 * when it can: same format version and size, a matching checksum, and the same region table
 * (names, offsets, sizes, kinds), so the running allocators still describe the image.
 */
export function imageProblem(heap: BootHeap, bytes: ArrayLike<number>, checksum: number): string {
  if (bytes.length !== heap.sizeBytes) return "the image has " + bytes.length + " bytes, the heap " + heap.sizeBytes;
  if (word(bytes, H_MAGIC) !== HEAP_MAGIC) return "the image does not start with the heap magic";
  const version = bytes[H_VERSION] | (bytes[H_VERSION + 1] << 8);
  if (version !== FORMAT_VERSION) return "the image has format version " + version + ", this firmware " + FORMAT_VERSION;
  if (word(bytes, H_SIZE) !== heap.sizeBytes) return "the image's header says " + word(bytes, H_SIZE) + " bytes, the heap has " + heap.sizeBytes;
  const actual = adler32(bytes, 0, bytes.length);
  if (actual !== checksum) return "checksum mismatch: the image says " + hex32(checksum) + ", its bytes give " + hex32(actual);
  const count = heap.u16[H_REGION_COUNT >> 1];
  if ((bytes[H_REGION_COUNT] | (bytes[H_REGION_COUNT + 1] << 8)) !== count) return "the image has a different number of regions";
  for (let r = 0; r < count; r++) {
    const entry = HEADER_FIXED_BYTES + r * REGION_ENTRY_BYTES;
    for (let i = 0; i < R_STATE; i++) {
      if (bytes[entry + i] !== heap.u8[entry + i]) return "region " + r + " of the image differs from the running plan";
    }
  }
  return "";
}
