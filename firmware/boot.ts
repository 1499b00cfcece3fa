// Boot: plan -> one flat buffer -> carve every region -> seal -> restore a saved image -> MEM
// -> the app. After this nothing asks the engine for memory for data again.
import type { Allocator } from "../src/allocator.js";
import { BootHeap } from "../src/heap/boot-heap.js";
import { DEBUG } from "../src/build-mode.js";
import type { App, Memory, Target } from "../src/app.js";
import { isFlat, jsVarsUsed, nowSeconds, onInit, say, setGlobal, storage } from "./device.js";
import { NO_IMAGE, restoreImage, saveImage } from "./image-storage.js";
import type { Makers } from "./makers/maker.js";
import { makeMem, Mem } from "./mem.js";
import { planHeapBytes } from "../plan/plan.js";
import { debugHeapBytes, debugRegionCount, instrumentAll } from "./instrument.js";

export interface BootResult {
  memory: Memory;
  mem: Mem;
  restored: boolean;
  bootMs: number;
  /** JsVars the heap, allocators and MEM took, or -1 where the engine does not count them. */
  jsVarsUsed: number;
}

/**
 * Boots `app` now with an allocator maker per region kind of its plan; returns null (having
 * said why) when the board cannot hold the plan.
 */
export function boot(app: App, target: Target, makers: Makers): BootResult | null {
  const started = nowSeconds();
  const varsBefore = jsVarsUsed();
  const plan = app.plan(target);
  const sizeBytes = planHeapBytes(plan) + (DEBUG ? debugHeapBytes(plan) : 0);
  let heap: BootHeap;
  try {
    heap = new BootHeap(sizeBytes, plan.regions.length + (DEBUG ? debugRegionCount(plan) : 0));
  } catch (e) {
    say("bootheap: cannot reserve the " + sizeBytes + "-byte heap for " + app.name + " on " + target.board + ": " + String((e as Error).message));
    return null;
  }
  if (!isFlat(heap.buffer)) {
    say("bootheap: the board's memory is too fragmented for one flat " + sizeBytes + "-byte buffer; reset() or power-cycle, then boot before anything else allocates");
    return null;
  }
  const raw: { [name: string]: Allocator } = {};
  for (let i = 0; i < plan.regions.length; i++) {
    const region = plan.regions[i];
    const make = makers[region.kind];
    if (typeof make !== "function") {
      say("bootheap: this firmware has no " + region.kind + " allocator for region " + region.name + "; rebuild it for this plan");
      return null;
    }
    raw[region.name] = make(heap, region);
  }
  const allocators = DEBUG ? instrumentAll(heap, plan, raw) : raw;
  heap.seal();
  const store = storage();
  const restoreProblem = store === null ? NO_IMAGE : restoreImage(heap, store);
  const restored = restoreProblem === "";
  if (!restored && restoreProblem !== NO_IMAGE) say("bootheap: saved heap image not restored: " + restoreProblem);
  const memory: Memory = {
    heap: heap,
    allocators: allocators,
    raw: raw,
    save: function () {
      return store !== null && saveImage(heap, store) === "";
    },
  };
  const mem = makeMem(heap, allocators, store);
  setGlobal("MEM", mem);
  const result: BootResult = {
    memory: memory,
    mem: mem,
    restored: restored,
    bootMs: Math.round((nowSeconds() - started) * 1000),
    jsVarsUsed: varsBefore < 0 ? -1 : jsVarsUsed() - varsBefore,
  };
  say("bootheap: " + app.name + (DEBUG ? " (debug)" : "") + " on " + target.board + ": heap " + sizeBytes + " bytes in " + plan.regions.length + " regions, sealed" + (restored ? ", image restored" : "") + ", boot " + result.bootMs + " ms" + (result.jsVarsUsed >= 0 ? ", " + result.jsVarsUsed + " JsVars" : ""));
  app.start(memory, restored);
  return result;
}

/** The firmware entry: boot now, and again at power-on from flash (E.on('init')) unless already booted. */
export function bootOnDevice(app: App, target: Target, makers: Makers): void {
  let booted = false;
  const start = function () {
    if (booted) return;
    booted = boot(app, target, makers) !== null;
  };
  onInit(start);
  start();
}
