// One board's memory model: the JsVar heap, tied to the lives of the program's buffers and
// views (a FinalizationRegistry in the board's realm), and the device's E.getSizeOf rules.
import type vm from "node:vm";
import { JsVarHeap } from "./jsvar-heap.js";
import { createRegistry, collectNow, type ContextRegistry } from "./host-gc.js";
import { originalFunctionText } from "../function-text.js";

/** Blocks of a function whose code stays in flash: the function and its flash-string reference. */
const FLASH_FUNCTION_BLOCKS = 2;

export class BoardMemory {
  readonly heap: JsVarHeap;
  private registry: ContextRegistry | null = null;
  /** Allocation id of each charged buffer or view, for E.getSizeOf. */
  private readonly ids = new WeakMap<object, number>();

  constructor(jsVars: number, blockBytes: number, exhausted: (blocksWanted: number) => never) {
    this.heap = new JsVarHeap(jsVars, blockBytes, () => this.registry && collectNow(this.registry), exhausted);
  }

  /** Must run before the prelude removes FinalizationRegistry from the context. */
  attach(context: vm.Context): void {
    this.registry = createRegistry(context, (id) => this.heap.release(id));
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

  /** Blocks kept by code text (function sources) uploaded to RAM, until the next reset. */
  chargeCode(chars: number): void {
    if (chars > 0) this.heap.allocScattered(this.heap.chainedBlocks(chars));
  }

  /**
   * Code run from a Storage file stays in flash: each function it defines holds only its own
   * block and one referencing its text in flash, until the next reset.
   */
  chargeFlashCode(functionCount: number): void {
    if (functionCount > 0) this.heap.allocScattered(FLASH_FUNCTION_BLOCKS * functionCount);
  }

  /**
   * E.getSizeOf: exact for buffers and views (the model's own blocks); for other values the
   * device's layout rules applied to the value (a block per object, per property name, per
   * non-inline value, chained strings), which V8 cannot tell us.
   */
  sizeOf(value: unknown, seen = new Set<object>()): number {
    if (value === undefined) return 0;
    if (value === null || typeof value === "boolean") return 1;
    if (typeof value === "number") return 1;
    if (typeof value === "string") return value.length <= 4 ? 1 : this.heap.chainedBlocks(value.length);
    if (typeof value === "function") return 1 + this.heap.chainedBlocks(originalFunctionText(Function.prototype.toString.call(value)).length);
    if (typeof value !== "object" || seen.has(value)) return 0;
    seen.add(value);
    const own = this.ids.get(value);
    // The board's ArrayBuffer is another realm's: test the brand, not instanceof.
    if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") return own === undefined ? 0 : this.heap.blocksOf(own);
    if (ArrayBuffer.isView(value)) {
      const viewBlocks = own === undefined ? 1 : this.heap.blocksOf(own);
      return viewBlocks + this.sizeOf(value.buffer, seen);
    }
    let blocks = 1;
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      // The property name is a block; small ints and booleans live inside it.
      const inline = typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31);
      blocks += (key.length > 4 ? this.heap.chainedBlocks(key.length) : 1) + (inline ? 0 : this.sizeOf(v, seen));
    }
    return blocks;
  }

  /** process.memory(): [free, usage, total, history, gc, gctime, blocksize]. */
  processMemory(runGc: boolean): number[] {
    let freedBlocks = 0;
    let gcTimeMs = 0;
    if (runGc) {
      const before = this.heap.usedBlocks;
      const t0 = performance.now();
      this.heap.runCollect();
      gcTimeMs = performance.now() - t0;
      freedBlocks = before - this.heap.usedBlocks;
    }
    const h = this.heap;
    return [h.freeBlocks, h.usedBlocks, h.blockCount, 0, freedBlocks, gcTimeMs, h.blockBytes];
  }
}
