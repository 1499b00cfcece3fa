import { StackAllocator } from "../../src/allocators/stack.js";
import { carve, Maker } from "./maker.js";

export const make: Maker = function (heap, plan) {
  return new StackAllocator(heap, carve(heap, plan));
};
