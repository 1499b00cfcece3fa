// The on-device modules besides the whole library: one allocator (or helper) each, with what it
// imports. rollup.config.js builds them into dist/espruino/modules/<name>.min.js and
// `bootheap init` copies them into a project's modules/ as bootheap-<name>.js.
export const MODULE_SOURCES: { [name: string]: string } = {
  "fixed-buffer": "src/allocators/fixed-buffer.ts",
  arena: "src/allocators/arena.ts",
  pool: "src/allocators/pool.ts",
  stack: "src/allocators/stack.ts",
  tlsf: "src/allocators/tlsf.ts",
  struct: "src/layout/struct.ts",
  "boot-heap": "src/heap/boot-heap.ts",
  debug: "src/wrappers/debug.ts",
  counting: "src/wrappers/counting.ts",
  failing: "src/wrappers/failing.ts",
  static: "src/wrappers/static.ts",
  fallback: "src/wrappers/fallback.ts",
  pressure: "src/wrappers/pressure.ts",
  inspect: "src/inspect/index.ts",
};
