// The board's JsVar budget: every modelled value holds blocks of a BlockMap. What is modelled:
// ArrayBuffers (a flat string: one header block plus ceil(n / blockBytes) contiguous blocks, or
// a chained string when no run is long enough), typed-array and DataView objects (one block),
// code text kept by functions (a chained string), and a fixed share for the interpreter's own
// root objects, and a pool of single blocks standing for the program's own objects, arrays,
// strings, numbers and closures, resized at each count (object-charge.ts prices them).
import { BlockMap } from "./block-map.js";

/** Blocks the interpreter itself holds after boot (root, process.env, built-in objects). */
export const BOOT_BLOCK_COUNT = 64;
/** Below this many bytes the device stores an ArrayBuffer as a chained string, not flat. */
export const FLAT_STRING_MIN_BYTES = 17;
/** Where the JsVar store would start in the chip's RAM (STM32/nRF52 SRAM). */
const RAM_BASE_ADDRESS = 0x20000000;
/** Allocations between GCs run only because a flat run was not found. */
const RUN_RETRY_ALLOCS = 64;
/** Bytes of a block a chained string cannot use for characters (next-block ref and flags). */
const CHAIN_OVERHEAD_BYTES = 3;

export interface HeapStats {
  flatCount: number;
  /** ArrayBuffers that wanted a flat string but got a chained one (device: silent, slower). */
  nonFlatCount: number;
  gcCount: number;
  gcTimeMs: number;
}

interface Allocation {
  start: number;
  count: number;
  scattered: Int32Array | null;
}

export class JsVarHeap {
  private blockMap: BlockMap;
  readonly stats: HeapStats = { flatCount: 0, nonFlatCount: 0, gcCount: 0, gcTimeMs: 0 };
  private readonly live = new Map<number, Allocation>();
  private nextId = 1;
  private allocsSinceCollect = 0;
  /** Blocks held for the program's objects (counted, not tracked one by one). */
  private objectPool: number[] = [];

  /**
   * `collect` runs the host GC and releases the blocks of dead values; `exhausted` is called
   * when even after that a request cannot be met (it must not return: it interrupts the program).
   */
  constructor(
    readonly blockCount: number,
    readonly blockBytes: number,
    private readonly collect: (interruptible: boolean) => void,
    private readonly exhausted: (blocksWanted: number) => never,
    readonly bootBlocks = BOOT_BLOCK_COUNT,
  ) {
    this.blockMap = BlockMap.afterBoot(blockCount, bootBlocks);
  }

  get map(): BlockMap {
    return this.blockMap;
  }

  get usedBlocks(): number {
    return this.blockMap.usedBlocks;
  }

  get freeBlocks(): number {
    return this.blockMap.freeBlocks;
  }

  /** Blocks a chained string of `chars` characters needs. */
  chainedBlocks(chars: number): number {
    return Math.max(1, Math.ceil(chars / (this.blockBytes - CHAIN_OVERHEAD_BYTES)));
  }

  /** Blocks an ArrayBuffer of `byteLength` needs when flat. */
  flatBlocks(byteLength: number): number {
    return 1 + Math.ceil(byteLength / this.blockBytes);
  }

  /** Storage for an ArrayBuffer's bytes; returns an allocation id for release(). */
  allocBuffer(byteLength: number): number {
    const chainedCount = 1 + this.chainedBlocks(byteLength);
    if (byteLength >= FLAT_STRING_MIN_BYTES) {
      const count = this.flatBlocks(byteLength);
      let start = this.blockMap.allocRun(count);
      // A full GC costs milliseconds; once the map is fragmented nearly every run request
      // fails, so retry after a GC only when enough has been allocated since the last one,
      // or when the chained fallback would not fit either.
      if (start < 0 && (this.allocsSinceCollect >= RUN_RETRY_ALLOCS || this.blockMap.freeBlocks < chainedCount)) {
        this.runCollect();
        start = this.blockMap.allocRun(count);
      }
      if (start >= 0) {
        this.stats.flatCount++;
        return this.remember({ start, count, scattered: null });
      }
      this.stats.nonFlatCount++;
    }
    return this.allocScattered(chainedCount);
  }

  /** `count` blocks anywhere (objects, chained strings); returns an allocation id. */
  allocScattered(count: number): number {
    let blocks = this.blockMap.allocScattered(count);
    if (!blocks) {
      this.runCollect();
      blocks = this.blockMap.allocScattered(count);
    }
    if (!blocks) this.exhausted(count);
    return this.remember({ start: -1, count, scattered: blocks });
  }

  release(id: number): void {
    const a = this.live.get(id);
    if (!a) return;
    this.live.delete(id);
    if (a.scattered) this.blockMap.freeScattered(a.scattered);
    else this.blockMap.freeRun(a.start, a.count);
  }

  /** A device-like RAM address of a flat allocation's data (after its header block), or 0. */
  flatAddressOf(id: number): number {
    const a = this.live.get(id);
    if (!a || a.scattered) return 0;
    return RAM_BASE_ADDRESS + (a.start + 1) * this.blockBytes;
  }

  blocksOf(id: number): number {
    return this.live.get(id)?.count ?? 0;
  }

  /**
   * E.defrag(): moves every live allocation down, flat runs first, so the free blocks become
   * one run. (On the device this is slow, growing with the square of memory; here it is not.)
   */
  defrag(): void {
    this.runCollect();
    const all = [...this.live.values()];
    this.blockMap = BlockMap.afterBoot(this.blockCount, this.bootBlocks);
    for (const a of all) if (!a.scattered) a.start = this.blockMap.allocRun(a.count);
    for (const a of all) if (a.scattered) a.scattered = this.blockMap.allocScattered(a.count);
    const pool = this.objectPool.length ? this.blockMap.allocScattered(this.objectPool.length) : null;
    this.objectPool = pool ? Array.from(pool) : [];
  }

  /** Blocks the program's objects hold, as last counted. */
  get objectBlocks(): number {
    return this.objectPool.length;
  }

  /**
   * Grows or shrinks the object pool to `target` blocks (single blocks anywhere, most recently
   * freed first, as new objects take them on the device); returns how many it could not get.
   */
  resizeObjectPool(target: number): number {
    const pool = this.objectPool;
    if (target < pool.length) {
      this.blockMap.freeScattered(Int32Array.from(pool.splice(target)));
      return 0;
    }
    const wanted = target - pool.length;
    const blocks = this.blockMap.allocScattered(Math.min(wanted, this.blockMap.freeBlocks));
    if (blocks) for (const b of blocks) pool.push(b);
    return wanted - (blocks?.length ?? 0);
  }

  /**
   * A GC pass as process.memory() and an idle device do. `interruptible`: whether running out
   * of memory here may stop the program (false after a task, when nothing runs).
   */
  runCollect(interruptible = true): void {
    this.allocsSinceCollect = 0;
    const t0 = performance.now();
    this.collect(interruptible);
    this.stats.gcCount++;
    this.stats.gcTimeMs += performance.now() - t0;
  }

  private remember(a: Allocation): number {
    const id = this.nextId++;
    this.allocsSinceCollect++;
    this.live.set(id, a);
    return id;
  }
}
