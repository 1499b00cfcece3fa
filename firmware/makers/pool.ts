import { MemoryPool } from "../../src/allocators/pool.js";
import { carve, Maker } from "./maker.js";

export const make: Maker = function (heap, plan) {
  if (plan.kind !== "pool") throw new Error("region " + plan.name + " is not a pool");
  return new MemoryPool(heap, carve(heap, plan), plan.slotSizeBytes, plan.align);
};
