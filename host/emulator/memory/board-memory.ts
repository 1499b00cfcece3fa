// One board's memory model: the JsVar heap, tied to the lives of the program's buffers and
// views (a FinalizationRegistry in the board's realm), the program's other values counted at
// the device's counting points (object-charge.ts), and the device's E.getSizeOf rules.
import vm from "node:vm";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JsVarHeap } from "./jsvar-heap.js";
import { createRegistry, collectNow, type ContextRegistry } from "./host-gc.js";
import { ObjectCharge } from "./object-charge.js";

/** What the emulator's host side holds for the program: the device keeps these in its own objects. */
export interface HostHeld {
  /** `on()` handlers of an object, per event (the device: `#on<event>` properties). */
  listenersOf?: (obj: object) => Array<[string, unknown[]]> | undefined;
  /** Timers now set (the device: an object per timer in its timer list). */
  timers?: () => Array<{ fn: () => void; repeat: boolean }>;
}

/** The emulator's own scripts in the board's realm: their functions are built-ins to the program. */
const PRELUDE_DIR = fileURLToPath(new URL("../prelude/", import.meta.url));
const PRELUDE_SOURCES = readdirSync(PRELUDE_DIR)
  .filter((f) => f.endsWith(".js"))
  .map((f) => readFileSync(PRELUDE_DIR + f, "utf8"));

/** Loop iterations between looks at the clock for a count while a program runs (interrupt.ts). */
export const LOOP_CHECK_ITERATIONS = 16;
/** A loop's objects are counted at most every 2 ms by the clock, and for at most a tenth of the time. */
const LOOP_COUNT_MIN_MS = 2;
const LOOP_COUNT_SHARE = 10;

/** Blocks of a function whose code stays in flash: the function and its flash-string reference. */
const FLASH_FUNCTION_BLOCKS = 2;

export class BoardMemory {
  readonly heap: JsVarHeap;
  private registry: ContextRegistry | null = null;
  /** Allocation id of each charged buffer or view, for E.getSizeOf. */
  private readonly ids = new WeakMap<object, number>();
  private objects: ObjectCharge | null = null;
  /** Code run from Storage files: a function whose text is in one of these keeps it in flash. */
  private readonly flashSources: string[] = [];
  /** Iterations left before a loop looks at the clock (the rewritten loops count it down). */
  readonly loopCounter = new Int32Array([LOOP_CHECK_ITERATIONS]);
  private lastCountAt = 0;
  /** Blocks of program text held while it runs (a console line, an uploaded file). */
  private runningTextBlocks = 0;
  private lastCountMs = 0;
  /** Loop checks since the last count, and how many blocks each added then (loopCheckpoint). */
  private checksSinceCount = 0;
  /** Blocks V8 made past the device's out-of-memory point, and the count then (count()). */
  private overshoot = 0;
  private oomCount = 0;
  private growthPerCheck = 0;

  constructor(
    jsVars: number,
    blockBytes: number,
    private readonly exhausted: (blocksWanted: number) => never,
    bootBlocks?: number,
  ) {
    this.heap = new JsVarHeap(jsVars, blockBytes, (interruptible) => this.collect(interruptible), exhausted, bootBlocks);
  }

  /** Must run before the prelude removes FinalizationRegistry from the context. */
  attach(context: vm.Context): void {
    this.registry = createRegistry(context, (id) => this.heap.release(id));
  }

  /**
   * After the prelude: what the program can reach now is the interpreter's own (free of
   * charge); from here on, what it adds is counted at each counting point.
   */
  startCounting(context: vm.Context, held: HostHeld = {}): void {
    const global = vm.runInContext("this", context) as Record<string, unknown>;
    const latest = global.__bhU as (fn: unknown) => unknown;
    this.objects = new ObjectCharge(this.heap.blockCount, this.heap.blockBytes, {
      global,
      latestCode: (fn) => (typeof latest === "function" ? latest(fn) : fn),
      isFlashText: (text) => this.flashSources.some((s) => s.includes(text)),
      isEmulatorText: (text) => PRELUDE_SOURCES.some((s) => s.includes(text)),
      listenersOf: held.listenersOf,
      timers: held.timers,
    });
    this.objects.snapshotBuiltins();
  }

  /** The blocks the program's objects, strings and closures hold, as last counted. */
  get objectBlocks(): number {
    return this.heap.objectBlocks;
  }

  private collect(interruptible: boolean): void {
    if (this.registry) collectNow(this.registry);
    this.count(interruptible);
  }

  /**
   * A counting point: the program's values are counted and the object pool resized. When they
   * no longer fit, the program is stopped with OUT OF MEMORY (`interruptible`), or, between
   * tasks, the error is reported and the pool keeps what fits.
   */
  count(interruptible: boolean): void {
    if (!this.objects?.ready) return;
    const t0 = performance.now();
    const counted = this.countNow();
    const missing = this.resizePool(counted);
    this.lastCountAt = performance.now();
    this.lastCountMs = this.lastCountAt - t0;
    // Between tasks nothing is allocating: the pool keeps what fits, and the next allocation
    // or count inside the program reports the shortage.
    if (missing > 0 && interruptible) {
      // The device stopped at the allocation that failed; V8 went on to the count. What it made
      // beyond that point is not held against the program afterwards, until it has given back
      // at least as much.
      this.oomCount = counted;
      this.overshoot += missing;
      this.exhausted(missing);
    }
  }

  private countNow(): number {
    return this.objects!.countReachable() + this.runningTextBlocks;
  }

  /** Resizes the object pool to `counted`, less what an out-of-memory stop let V8 make beyond the device; what could not be had. */
  private resizePool(counted: number): number {
    if (this.overshoot > 0 && counted <= this.oomCount - this.overshoot) this.overshoot = 0;
    return this.heap.resizeObjectPool(Math.max(0, counted - this.overshoot));
  }

  /**
   * Called by a running loop every LOOP_CHECK_ITERATIONS iterations: counts now and then, so a
   * loop that keeps objects alive runs out of memory as on the device. A count is due when a
   * tenth of the time since the last one would pay for it, or, when the values grew at the last
   * count, once the loop has run half the iterations that growth needs to fill the free blocks;
   * so counts come closer together as memory runs out, and the loop stops within a few dozen
   * iterations of where the device would. When the count does not fit, a full collection decides.
   */
  loopCheckpoint(): void {
    this.loopCounter[0] = LOOP_CHECK_ITERATIONS;
    this.checkpoint();
  }

  /** At the end of each task (a console line, a timer, an event): a count when one is due, as in a loop. */
  taskCheckpoint(): void {
    this.checkpoint();
  }

  private checkpoint(): void {
    if (!this.objects?.ready) return;
    this.checksSinceCount++;
    const now = performance.now();
    const dueByTime = now - this.lastCountAt >= Math.max(LOOP_COUNT_MIN_MS, this.lastCountMs * LOOP_COUNT_SHARE);
    const dueByGrowth = this.growthPerCheck > 0 && this.checksSinceCount * this.growthPerCheck * 2 >= this.heap.freeBlocks;
    if (!dueByTime && !dueByGrowth) return;
    const before = this.heap.objectBlocks;
    const missing = this.resizePool(this.countNow());
    this.growthPerCheck = (this.heap.objectBlocks + missing - before) / this.checksSinceCount;
    this.checksSinceCount = 0;
    this.lastCountAt = performance.now();
    this.lastCountMs = this.lastCountAt - now;
    if (missing > 0) this.heap.runCollect(true);
  }


  chargeBuffer(buffer: ArrayBuffer, byteLength: number): void {
    if (this.ids.has(buffer)) return;
    const id = this.heap.allocBuffer(byteLength);
    this.ids.set(buffer, id);
    this.registry!.register(buffer, id);
  }

  chargeView(view: object): void {
    const id = this.heap.allocScattered(1);
    this.ids.set(view, id);
    this.registry!.register(view, id);
  }

  /**
   * E.getAddressOf(buffer, true): where a flat buffer's bytes start, or 0 when the buffer is
   * not flat (a chained string), which is how firmware checks it got one contiguous heap.
   */
  addressOf(value: object): number {
    const buffer = ArrayBuffer.isView(value) ? value.buffer : value;
    const id = this.ids.get(buffer);
    return id === undefined ? 0 : this.heap.flatAddressOf(id);
  }

  /**
   * Runs `run` while `chars` of program text are held (the device keeps a console line or an
   * uploaded file as a string while it executes); counts made meanwhile include it.
   */
  whileRunning<T>(chars: number, run: () => T): T {
    const blocks = chars > 0 ? this.objects?.layout.stringBlocks(chars) ?? 0 : 0;
    this.runningTextBlocks += blocks;
    try {
      return run();
    } finally {
      this.runningTextBlocks -= blocks;
    }
  }

  /** Blocks kept by code text (function sources) uploaded to RAM, until the next reset. */
  chargeCode(chars: number): void {
    if (chars > 0) this.heap.allocScattered(this.heap.chainedBlocks(chars));
  }

  /**
   * Code run from a Storage file stays in flash: each function it defines holds only its own
   * block and one referencing its text in flash, until the next reset.
   */
  chargeFlashCode(functionCount: number, code?: string): void {
    if (code) this.flashSources.push(code);
    if (functionCount > 0) this.heap.allocScattered(FLASH_FUNCTION_BLOCKS * functionCount);
  }

  /**
   * E.getSizeOf: exact for buffers and views (the model's own blocks); for other values the
   * device's layout rules applied to the value and what it reaches (object-charge.ts).
   */
  sizeOf(value: unknown): number {
    if (!this.objects) return 0;
    return this.objects.sizeOf(value, (o) => {
      const id = this.ids.get(o);
      return id === undefined ? (ArrayBuffer.isView(o) ? 1 : 0) : this.heap.blocksOf(id);
    });
  }

  /** process.memory(): [free, usage, total, history, gc, gctime, blocksize]. */
  processMemory(runGc: boolean): number[] {
    let freedBlocks = 0;
    let gcTimeMs = 0;
    if (!runGc) this.count(true);
    if (runGc) {
      const before = this.heap.usedBlocks;
      const t0 = performance.now();
      this.heap.runCollect(true);
      gcTimeMs = performance.now() - t0;
      freedBlocks = before - this.heap.usedBlocks;
    }
    const h = this.heap;
    return [h.freeBlocks, h.usedBlocks, h.blockCount, 0, freedBlocks, gcTimeMs, h.blockBytes];
  }
}
