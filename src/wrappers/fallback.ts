import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { fail } from "../heap/errors.js";
import { copyBytes } from "../heap/memory.js";
import { addTypedHelpers } from "../allocators/typed.js";
import type { TypedHelpers } from "../allocators/typed.js";
import { checkChild, ownershipTest } from "./common.js";

export interface FallbackOptions {
  /** Whether `ptr` belongs to the primary; needed only when the primary has no `ownsPtr`, region or child to tell. */
  primaryOwns?: (ptr: number) => boolean;
}

/**
 * Tries `primary`, then `fallback` (e.g. a fast pool first, the general heap when it is
 * full). Frees, resizes and remaps go to whichever allocator owns the pointer, decided by the
 * primary's ownership test (its `ownsPtr`, else its region, else its child's). No state, no
 * garbage.
 */
export class FallbackAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly primary: Allocator;
  readonly fallback: Allocator;
  private readonly primaryOwns: (ptr: number) => boolean;
  private readonly fallbackOwns: ((ptr: number) => boolean) | null;

  constructor(primary: Allocator, fallback: Allocator, options?: FallbackOptions) {
    checkChild(primary, "primary");
    checkChild(fallback, "fallback");
    if (primary.heap !== fallback.heap) fail("InvalidArgument", "primary and fallback must allocate from the same heap");
    const given = options === undefined ? undefined : options.primaryOwns;
    const owns = given !== undefined ? given : ownershipTest(primary);
    if (typeof owns !== "function") {
      fail("InvalidArgument", "cannot tell which pointers the primary owns: it has no ownsPtr(), region or child; pass options.primaryOwns");
    }
    this.heap = primary.heap;
    this.primary = primary;
    this.fallback = fallback;
    this.primaryOwns = owns;
    this.fallbackOwns = ownershipTest(fallback);
  }

  alloc(len: number, align?: number): number {
    const ptr = this.primary.alloc(len, align);
    return ptr !== 0 ? ptr : this.fallback.alloc(len, align);
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    return this.owner(ptr).resize(ptr, len, newLen);
  }

  /** In the owner if it can; else moved into the other allocator (copy, then free from the owner). */
  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const owner = this.owner(ptr);
    const moved = owner.remap(ptr, len, newLen, align);
    if (moved !== 0) return moved;
    const other = owner === this.primary ? this.fallback : this.primary;
    const dst = other.alloc(newLen, align);
    if (dst === 0) return 0;
    copyBytes(this.heap, dst, ptr, len < newLen ? len : newLen);
    owner.free(ptr, len);
    return dst;
  }

  free(ptr: number, len: number): void {
    this.owner(ptr).free(ptr, len);
  }

  ownsPtr(ptr: number): boolean {
    return this.primaryOwns(ptr) || (this.fallbackOwns !== null && this.fallbackOwns(ptr));
  }

  /** Both allocators' numbers added up (largestFreeBytes: the larger of the two). */
  stats(): AllocatorStats {
    const p = this.primary.stats();
    const f = this.fallback.stats();
    return {
      capacityBytes: p.capacityBytes + f.capacityBytes,
      usedBytes: p.usedBytes + f.usedBytes,
      peakBytes: p.peakBytes + f.peakBytes,
      allocationCount: p.allocationCount + f.allocationCount,
      largestFreeBytes: p.largestFreeBytes > f.largestFreeBytes ? p.largestFreeBytes : f.largestFreeBytes,
    };
  }

  private owner(ptr: number): Allocator {
    return this.primaryOwns(ptr) ? this.primary : this.fallback;
  }
}
export interface FallbackAllocator extends TypedHelpers {}
addTypedHelpers(FallbackAllocator.prototype);
