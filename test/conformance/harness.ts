// An engine-neutral test harness: no vitest, no Node, ES5 once bundled. The same cases run
// in vitest (test/conformance.test.ts) and in dist/selftest/selftest.js on Duktape, the
// emulator and a board.
import type { BootHeap } from "../../src/heap/boot-heap.js";
import { adler32 } from "../../src/inspect/checksum.js";
import { hex32 } from "../../src/inspect/image.js";

export interface Case {
  name: string;
  run: () => void;
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}

/** Runs `fn`, which must throw an error with `code`; returns the message. */
export function checkThrows(fn: () => void, code: string, what: string): string {
  let thrown: { code?: string; message?: string } | null = null;
  try {
    fn();
  } catch (e) {
    thrown = e as { code?: string; message?: string };
  }
  if (thrown === null) throw new Error(what + ": expected an error with code " + code + ", nothing was thrown");
  if (thrown.code !== code) throw new Error(what + ": expected code " + code + ", got " + String(thrown.code) + " (" + String(thrown.message) + ")");
  return String(thrown.message);
}

/**
 * A fingerprint (Adler-32) of every heap byte, to prove an operation changed nothing. Not a copy:
 * a second copy of the heap does not fit the small boards the self-test runs on.
 */
export function fingerprint(heap: BootHeap): number {
  return adler32(heap.u8, 0, heap.sizeBytes);
}

export function checkUnchanged(heap: BootHeap, before: number, what: string): void {
  const now = fingerprint(heap);
  if (now !== before) throw new Error(what + ": the heap changed (adler32 " + hex32(before) + " -> " + hex32(now) + ")");
}

/** A copy of every heap byte, for host-only tests that want the first byte that changed. */
export function snapshot(heap: BootHeap): Uint8Array {
  const copy = new Uint8Array(heap.sizeBytes);
  const u8 = heap.u8;
  for (let i = 0; i < copy.length; i++) copy[i] = u8[i];
  return copy;
}

/** Writes a pattern derived from `seed` into [ptr, ptr + len). */
export function fillPattern(heap: BootHeap, ptr: number, len: number, seed: number): void {
  const u8 = heap.u8;
  for (let i = 0; i < len; i++) u8[ptr + i] = (seed * 31 + i * 7) & 255;
}

export function checkPattern(heap: BootHeap, ptr: number, len: number, seed: number, what: string): void {
  const u8 = heap.u8;
  for (let i = 0; i < len; i++) {
    if (u8[ptr + i] !== ((seed * 31 + i * 7) & 255)) throw new Error(what + ": byte " + i + " of allocation at " + ptr + " was overwritten");
  }
}

/** A small deterministic PRNG (xorshift32): same sequence on every engine. */
export function makeRandom(seed: number): () => number {
  let x = seed | 0 || 1;
  return function () {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface RunResult {
  passed: number;
  failed: number;
}

export function runCases(cases: Case[], log: (line: string) => void): RunResult {
  let passed = 0;
  let failed = 0;
  for (let i = 0; i < cases.length; i++) {
    try {
      cases[i].run();
      passed++;
    } catch (e) {
      failed++;
      log("FAIL " + cases[i].name + ": " + String((e as { message?: string }).message || e));
    }
  }
  return { passed: passed, failed: failed };
}
