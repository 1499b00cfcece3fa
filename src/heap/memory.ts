import type { BootHeap } from "./boot-heap.js";

// Byte copies by index on the whole-heap views: `subarray` and `copyWithin` are not options
// on Espruino (views above byte 65535 throw; typed-array copyWithin is missing).

/** Copies `n` bytes from `src` to `dst`; the ranges may overlap. */
export function copyBytes(heap: BootHeap, dst: number, src: number, n: number): void {
  const u8 = heap.u8;
  if (dst === src || n === 0) return;
  if (((dst | src | n) & 3) === 0 && (dst + n <= src || src + n <= dst)) {
    const u32 = heap.u32;
    const d = dst >> 2;
    const s = src >> 2;
    const words = n >> 2;
    for (let i = 0; i < words; i++) u32[d + i] = u32[s + i];
    return;
  }
  if (dst < src) {
    for (let i = 0; i < n; i++) u8[dst + i] = u8[src + i];
  } else {
    for (let i = n - 1; i >= 0; i--) u8[dst + i] = u8[src + i];
  }
}

export function fillBytes(heap: BootHeap, ptr: number, n: number, value: number): void {
  const u8 = heap.u8;
  for (let i = 0; i < n; i++) u8[ptr + i] = value;
}
