import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { carve, Maker } from "./maker.js";

export const make: Maker = function (heap, plan) {
  return new FixedBufferAllocator(heap, carve(heap, plan));
};
