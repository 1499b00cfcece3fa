// The heap image in Storage: "bootheap.img" holds u32 IMAGE_MAGIC, u32 adler32, then every heap
// byte. Flash bytes cannot be rewritten in place, so a save erases the file and writes it anew.
import type { BootHeap } from "../src/heap/boot-heap.js";
import { adler32 } from "../src/inspect/checksum.js";
import { imageProblem } from "../src/inspect/image.js";
import type { StorageModule } from "./device.js";

export const IMAGE_FILE = "bootheap.img";
export const IMAGE_MAGIC = 0x4d494842;
const PREFIX_BYTES = 8;
/** What restoreImage says when there is simply nothing saved: not a problem worth reporting. */
export const NO_IMAGE = "no saved image";
/** Bytes per Storage write: small strings, so saving never needs a big block of JsVars. */
const CHUNK_BYTES = 256;

function u32String(n: number): string {
  return String.fromCharCode(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255);
}

/** Writes the image; returns "" or why it could not. */
export function saveImage(heap: BootHeap, store: StorageModule): string {
  const total = PREFIX_BYTES + heap.sizeBytes;
  store.erase(IMAGE_FILE);
  if (store.getFree() < total) return "Storage has " + store.getFree() + " bytes free, the image needs " + total;
  if (!store.write(IMAGE_FILE, u32String(IMAGE_MAGIC) + u32String(adler32(heap.u8, 0, heap.sizeBytes)), 0, total)) return "Storage refused the write";
  const u8 = heap.u8;
  for (let at = 0; at < heap.sizeBytes; at += CHUNK_BYTES) {
    const end = at + CHUNK_BYTES < heap.sizeBytes ? at + CHUNK_BYTES : heap.sizeBytes;
    let chunk = "";
    for (let i = at; i < end; i++) chunk += String.fromCharCode(u8[i]);
    if (!store.write(IMAGE_FILE, chunk, PREFIX_BYTES + at)) return "Storage refused the write at byte " + at;
  }
  return "";
}

/**
 * Reads the saved image back into `heap` if it is valid for it. Returns "" when restored, or
 * why not (no file, wrong version, size, checksum or plan): then the heap is untouched.
 */
export function restoreImage(heap: BootHeap, store: StorageModule): string {
  const buffer = store.readArrayBuffer(IMAGE_FILE);
  if (buffer === undefined || buffer.byteLength === 0) return NO_IMAGE;
  if (buffer.byteLength !== PREFIX_BYTES + heap.sizeBytes) return "the saved image has " + (buffer.byteLength - PREFIX_BYTES) + " bytes, the heap " + heap.sizeBytes;
  // Offset 0 and 8 views only: flash-mapped on the device, so nothing is copied into RAM to check it.
  const prefix = new Uint32Array(buffer, 0, 2);
  if (prefix[0] !== IMAGE_MAGIC) return "the saved file is not a heap image";
  const bytes = new Uint8Array(buffer, PREFIX_BYTES, heap.sizeBytes);
  const problem = imageProblem(heap, bytes, prefix[1]);
  if (problem !== "") return problem;
  const u8 = heap.u8;
  for (let i = 0; i < heap.sizeBytes; i++) u8[i] = bytes[i];
  return "";
}
