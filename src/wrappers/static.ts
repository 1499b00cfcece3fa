import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { describe, fail } from "../heap/errors.js";
import { addWrapperHelpers, checkChild, ownershipTest } from "./common.js";
import type { WrapperHelpers } from "./common.js";

export type StaticState = "init" | "static" | "deinit";

const INIT = 0;
const STATIC = 1;
const DEINIT = 2;
const NAMES: StaticState[] = ["init", "static", "deinit"];

/**
 * TigerBeetle's StaticAllocator: allocate everything at start-up, then `lock()` and prove
 * nothing allocates again. States go init → static → deinit; alloc, resize and remap are
 * allowed only in init, free only in init or deinit. Any other call throws code Static naming
 * the state and changes nothing. The state is one JS number, written twice in a program's
 * life, so the checks cost a comparison and make no garbage.
 */
export class StaticAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  /** INIT, STATIC or DEINIT. */
  private phase: number;
  /** The child's ownership test, made once (ownsPtr, from addWrapperHelpers, answers with it). */
  readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator) {
    addWrapperHelpers(StaticAllocator.prototype);
    checkChild(child, "child");
    this.heap = child.heap;
    this.child = child;
    this.phase = INIT;
    this.childOwns = ownershipTest(child);
  }

  state(): StaticState {
    return NAMES[this.phase];
  }

  /** init → static: from now on alloc, resize, remap and free throw. */
  lock(): void {
    if (this.phase !== INIT) this.violation("lock()", "lock is only allowed in state init");
    this.phase = STATIC;
  }

  /** static (or init) → deinit: frees are allowed again so the program can tear down. */
  deinit(): void {
    if (this.phase === DEINIT) this.violation("deinit()", "deinit was already called");
    this.phase = DEINIT;
  }

  alloc(len: number, align?: number): number {
    if (this.phase !== INIT) this.violation("alloc(" + describe(len) + ")", "allocation is only allowed in state init");
    return this.child.alloc(len, align);
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if (this.phase !== INIT) this.violation("resize(" + describe(ptr) + ", " + describe(len) + ", " + describe(newLen) + ")", "resize is only allowed in state init");
    return this.child.resize(ptr, len, newLen);
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    if (this.phase !== INIT) this.violation("remap(" + describe(ptr) + ", " + describe(len) + ", " + describe(newLen) + ")", "remap is only allowed in state init");
    return this.child.remap(ptr, len, newLen, align);
  }

  free(ptr: number, len: number): void {
    if (this.phase === STATIC) this.violation("free(" + describe(ptr) + ", " + describe(len) + ")", "free is only allowed in states init and deinit");
    this.child.free(ptr, len);
  }

  stats(): AllocatorStats {
    return this.child.stats();
  }

  private violation(call: string, rule: string): never {
    return fail("Static", call + " in state " + NAMES[this.phase] + ": " + rule);
  }
}
export interface StaticAllocator extends WrapperHelpers {}
