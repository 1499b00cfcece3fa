// What a firmware app is: a plan for its memory and a start function that receives the
// carved, sealed heap. firmware/boot.ts calls them in that order.
import type { Allocator } from "../src/allocator.js";
import type { BootHeap } from "../src/heap/boot-heap.js";
import type { MemoryPlan } from "./plan.js";

export interface Memory {
  heap: BootHeap;
  /** One allocator per plan region, by region name (in debug builds, wrapped to catch bugs). */
  allocators: { [name: string]: Allocator };
  /** The allocator exactly as built for the region, unwrapped, for kind-specific calls (pool.create()). */
  raw: { [name: string]: Allocator };
  /** Writes the heap image to Storage so the next boot restores it; false if Storage is missing or full. */
  save(): boolean;
}

export interface App {
  name: string;
  plan(): MemoryPlan;
  /** Runs once the heap is carved and sealed; `restored` is true when the image came back from Storage. */
  start(memory: Memory, restored: boolean): void;
}
