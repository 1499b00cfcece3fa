import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { describe, fail } from "../heap/errors.js";
import { createView, destroyView, dupe } from "../allocators/typed.js";
import type { TypedArray, TypedArrayConstructor } from "../allocators/typed.js";
import { checkChild, ownershipTest } from "./common.js";

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
  private s: number;
  private readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator) {
    checkChild(child, "child");
    this.heap = child.heap;
    this.child = child;
    this.s = INIT;
    this.childOwns = ownershipTest(child);
  }

  state(): StaticState {
    return NAMES[this.s];
  }

  /** init → static: from now on alloc, resize, remap and free throw. */
  lock(): void {
    if (this.s !== INIT) this.violation("lock()", "lock is only allowed in state init");
    this.s = STATIC;
  }

  /** static (or init) → deinit: frees are allowed again so the program can tear down. */
  deinit(): void {
    if (this.s === DEINIT) this.violation("deinit()", "deinit was already called");
    this.s = DEINIT;
  }

  alloc(len: number, align?: number): number {
    if (this.s !== INIT) this.violation("alloc(" + describe(len) + ")", "allocation is only allowed in state init");
    return this.child.alloc(len, align);
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if (this.s !== INIT) this.violation("resize(" + describe(ptr) + ", " + describe(len) + ", " + describe(newLen) + ")", "resize is only allowed in state init");
    return this.child.resize(ptr, len, newLen);
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    if (this.s !== INIT) this.violation("remap(" + describe(ptr) + ", " + describe(len) + ", " + describe(newLen) + ")", "remap is only allowed in state init");
    return this.child.remap(ptr, len, newLen, align);
  }

  free(ptr: number, len: number): void {
    if (this.s === STATIC) this.violation("free(" + describe(ptr) + ", " + describe(len) + ")", "free is only allowed in states init and deinit");
    this.child.free(ptr, len);
  }

  ownsPtr(ptr: number): boolean {
    return this.childOwns === null ? false : this.childOwns(ptr);
  }

  stats(): AllocatorStats {
    return this.child.stats();
  }

  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null {
    return createView(this, ctor, count);
  }

  destroy(view: TypedArray): void {
    destroyView(this, view);
  }

  dupe(bytes: ArrayLike<number>, align?: number): number {
    return dupe(this, bytes, align);
  }

  private violation(call: string, rule: string): never {
    return fail("Static", call + " in state " + NAMES[this.s] + ": " + rule);
  }
}
