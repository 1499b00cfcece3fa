// What a firmware app is: a plan for its memory and a start function that receives the
// carved, sealed heap. firmware/boot.ts calls them in that order. Types only: a user's app
// (`bootheap init`) types itself with them, and they cost no bytes on the device.
import type { Allocator } from "./allocator.js";
import type { BootHeap } from "./heap/boot-heap.js";

/** One region of the one buffer: its allocator kind and size (plan/plan.ts checks and sizes it). */
export type RegionPlan =
  | { name: string; kind: "fixed" | "stack" | "tlsf"; sizeBytes: number; align?: number }
  | { name: string; kind: "pool"; slotSizeBytes: number; slotCount: number; align?: number };

/** The regions a firmware carves from its one buffer at boot, in order. */
export interface MemoryPlan {
  regions: RegionPlan[];
}

export interface Memory {
  heap: BootHeap;
  /** One allocator per plan region, by region name (in debug builds, wrapped to catch bugs). */
  allocators: { [name: string]: Allocator };
  /** The allocator exactly as built for the region, unwrapped, for kind-specific calls (pool.create()). */
  raw: { [name: string]: Allocator };
  /** Writes the heap image to Storage so the next boot restores it; false if Storage is missing or full. */
  save(): boolean;
}

/** What the build and the boot code know of the board a firmware is for. */
export interface Target {
  board: string;
  /** The board's default budget for the boot heap (boards/<BOARD>.json). */
  heapBudgetBytes: number;
}

export interface App {
  name: string;
  /** Board features the app needs (e.g. "net"); the default build makes it only for boards that have them. */
  requires?: string[];
  plan(target: Target): MemoryPlan;
  /** The app's own limits in words (e.g. "connectionsMax 8, keyCount 256"), named when its plan does not fit a board. */
  describeLimits?(target: Target): string;
  /** Runs once the heap is carved and sealed; `restored` is true when the image came back from Storage. */
  start(memory: Memory, restored: boolean): void;
}
