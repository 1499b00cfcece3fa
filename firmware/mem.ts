// MEM, the REPL object: type MEM.stats(), MEM.map(), MEM.check() ... at the board's console.
// The console commands print and return nothing to echo (the REPL would print a returned
// string again, escaped, and an array of reports in full); programs read MEM.reports().
import type { Allocator } from "../src/allocator.js";
import type { BootHeap } from "../src/heap/boot-heap.js";
import { dumpImage } from "../src/inspect/image.js";
import { heapMap, statsTable } from "../src/inspect/heap-map.js";
import { heapReports, RegionReport } from "../src/inspect/regions.js";
import type { StorageModule } from "./device.js";
import { say } from "./device.js";
import { restoreImage, saveImage } from "./image-storage.js";
import { DEBUG } from "../src/build-mode.js";
import { printLeaks } from "./instrument.js";

export interface Mem {
  /** The heap itself, for a closer look at the REPL (MEM.heap.regions()). */
  heap: BootHeap;
  stats(): void;
  map(): void;
  /** The per-region numbers behind MEM.stats(), for programs. */
  reports(): RegionReport[];
  check(): boolean;
  leaks(): number;
  dump(): void;
  save(): boolean;
  restore(): boolean;
}

interface Checkable {
  check?: () => void;
}

export function makeMem(heap: BootHeap, allocators: { [name: string]: Allocator }, store: StorageModule | null): Mem {
  return {
    heap: heap,
    stats: function () {
      say(statsTable(heapReports(heap)));
    },
    map: function () {
      say(heapMap(heap));
    },
    reports: function () {
      return heapReports(heap);
    },
    /** Runs every allocator's integrity check (debug builds: canaries and quarantine too); throws the first problem. */
    check: function () {
      const names = Object.keys(allocators);
      for (let i = 0; i < names.length; i++) {
        const a = allocators[names[i]] as Allocator & Checkable & { child?: Allocator & Checkable };
        if (typeof a.check === "function") a.check();
        if (a.child && typeof a.child.check === "function") a.child.check();
      }
      say("ok: " + names.length + " regions checked");
      return true;
    },
    /** Debug builds: the live allocations of each instrumented allocator, grouped by tag. */
    leaks: function () {
      if (DEBUG) return printLeaks(allocators);
      say("leak tracking needs a debug build: flash dist/firmware/<BOARD>/<app>.debug.js");
      return -1;
    },
    dump: function () {
      dumpImage(heap, say);
    },
    save: function () {
      const problem = store === null ? "this engine has no Storage" : saveImage(heap, store);
      say(problem === "" ? "saved " + heap.sizeBytes + " bytes to Storage" : "not saved: " + problem);
      return problem === "";
    },
    restore: function () {
      const problem = store === null ? "this engine has no Storage" : restoreImage(heap, store);
      say(problem === "" ? "restored " + heap.sizeBytes + " bytes from Storage" : "not restored: " + problem);
      return problem === "";
    },
  };
}
