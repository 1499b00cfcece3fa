import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { carve, Maker } from "./maker.js";

export const make: Maker = function (heap, plan) {
  return new TlsfAllocator(heap, carve(heap, plan));
};
