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

  constructor(readonly blockCount: number) {
    this.used = new Uint8Array(blockCount);
    this.freeCount = blockCount;
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

  /** `count` free blocks wherever they are (a chained string, an object); null if too few. */
  allocScattered(count: number): Int32Array | null {
    if (count > this.freeCount) return null;
    const blocks = new Int32Array(count);
    let n = 0;
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
  }

  freeScattered(blocks: Int32Array): void {
    for (const b of blocks) {
      this.used[b] = 0;
      if (b < this.lowestFree) this.lowestFree = b;
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

  /** One character per `blocksPerChar` blocks: '#' used, '.' free, '+' partly used. */
  render(blocksPerChar = 64): string {
    let out = "";
    for (let i = 0; i < this.blockCount; i += blocksPerChar) {
      let usedHere = 0;
      const end = Math.min(i + blocksPerChar, this.blockCount);
      for (let j = i; j < end; j++) usedHere += this.used[j];
      out += usedHere === 0 ? "." : usedHere === end - i ? "#" : "+";
    }
    return out;
  }

  private advanceLowest(): void {
    while (this.lowestFree < this.blockCount && this.used[this.lowestFree]) this.lowestFree++;
  }
}
