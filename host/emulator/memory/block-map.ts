// The JsVar store of the device as a map of fixed-size blocks. Allocation is first-fit, so a
// program that keeps some buffers alive while dropping others leaves holes, and a later flat
// string (an ArrayBuffer's contiguous run) may find no run long enough although enough blocks
// are free in total: the fragmentation that kills long-running Espruino programs.

export class BlockMap {
  /** 1 where a block is in use. */
  private readonly used: Uint8Array;
  private freeCount: number;
  /** No free block below this index; speeds up first-fit without changing its result. */
  private lowestFree = 0;
  /** Recently freed blocks, most recent last (the device's free list is LIFO). */
  private readonly recent: Int32Array;
  private recentCount = 0;

  constructor(readonly blockCount: number) {
    this.used = new Uint8Array(blockCount);
    this.recent = new Int32Array(blockCount);
    this.freeCount = blockCount;
  }

  /** A map whose first `bootBlockCount` blocks are the interpreter's own. */
  static afterBoot(blockCount: number, bootBlockCount: number): BlockMap {
    const m = new BlockMap(blockCount);
    m.allocRun(Math.min(bootBlockCount, blockCount));
    return m;
  }

  get freeBlocks(): number {
    return this.freeCount;
  }

  get usedBlocks(): number {
    return this.blockCount - this.freeCount;
  }

  /** First-fit run of `count` contiguous free blocks; returns its start or -1. */
  allocRun(count: number): number {
    if (count <= 0 || count > this.freeCount) return -1;
    let runStart = -1;
    for (let i = this.lowestFree; i < this.blockCount; i++) {
      if (this.used[i]) {
        runStart = -1;
        continue;
      }
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 === count) {
        this.used.fill(1, runStart, runStart + count);
        this.freeCount -= count;
        this.advanceLowest();
        return runStart;
      }
    }
    return -1;
  }

  /**
   * `count` single blocks for values that need no run (objects, views, chained strings).
   * Like the device's free list, the most recently freed blocks are reused first, so a
   * small long-lived value often lands in the hole a dropped buffer just left and splits it.
   */
  allocScattered(count: number): Int32Array | null {
    if (count > this.freeCount) return null;
    const blocks = new Int32Array(count);
    let n = 0;
    while (n < count && this.recentCount > 0) {
      const b = this.recent[--this.recentCount];
      if (!this.used[b]) {
        this.used[b] = 1;
        blocks[n++] = b;
      }
    }
    for (let i = this.lowestFree; n < count; i++) {
      if (!this.used[i]) {
        this.used[i] = 1;
        blocks[n++] = i;
      }
    }
    this.freeCount -= count;
    this.advanceLowest();
    return blocks;
  }

  freeRun(start: number, count: number): void {
    this.used.fill(0, start, start + count);
    this.freeCount += count;
    if (start < this.lowestFree) this.lowestFree = start;
    // Highest first, so the run's first block is the next one reused.
    for (let b = start + count - 1; b >= start; b--) this.remember(b);
  }

  freeScattered(blocks: Int32Array): void {
    for (const b of blocks) {
      this.used[b] = 0;
      if (b < this.lowestFree) this.lowestFree = b;
      this.remember(b);
    }
    this.freeCount += blocks.length;
  }

  /** Longest contiguous free run: what the largest flat string could get now. */
  largestFreeRun(): number {
    let best = 0;
    let run = 0;
    for (let i = 0; i < this.blockCount; i++) {
      run = this.used[i] ? 0 : run + 1;
      if (run > best) best = run;
    }
    return best;
  }

  /** Pushes a freed block on the reuse stack; entries reused by a run meanwhile are skipped when popped. */
  private remember(block: number): void {
    if (this.recentCount === this.recent.length) {
      // Full of stale entries: keep only blocks that are still free.
      let kept = 0;
      for (let i = 0; i < this.recentCount; i++) if (!this.used[this.recent[i]]) this.recent[kept++] = this.recent[i];
      this.recentCount = kept;
      if (kept === this.recent.length) return;
    }
    this.recent[this.recentCount++] = block;
  }

  private advanceLowest(): void {
    while (this.lowestFree < this.blockCount && this.used[this.lowestFree]) this.lowestFree++;
  }
}
