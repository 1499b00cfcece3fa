// Builds every bundle from src/ (see README "Builds"):
//   dist/node/index.js                  ESM for Node (types from tsconfig.types.json)
//   dist/espruino/bootheap.min.js       the on-device module (exports.X = ...), ES5, minified, release
//   dist/espruino/bootheap.debug.min.js the same with debug checks kept (__DEBUG__ = true)
//   dist/espruino/modules/<name>.min.js one allocator and what it needs, to measure each one's bytes
//   dist/selftest/selftest.js           the conformance suite as one ES5 script, for any engine
// __DEBUG__ is the build mode, as Zig's builtin.mode: release bundles replace it with false and
// the minifier drops every branch it guards.
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import replace from "@rollup/plugin-replace";

const ES5 = { target: "ES5", module: "ESNext", lib: ["ES2020"], types: [], noEmit: false, declaration: false, noEmitHelpers: false, importHelpers: false, sourceMap: false };
// Espruino cannot take these as identifiers (ESPRUINO.md); the mangler must never produce them.
const terserOptions = { ecma: 5, mangle: { reserved: ["of", "static", "undefined"] }, compress: { passes: 2 }, format: { comments: false } };

function plugins(debug, minify, target) {
  const list = [
    replace({ preventAssignment: true, values: { __DEBUG__: String(debug) } }),
    typescript({ tsconfig: "./tsconfig.json", compilerOptions: target === "es5" ? ES5 : { target: "ES2020", module: "ESNext", noEmit: false, declaration: false, sourceMap: false }, include: ["src/**/*.ts", "test/conformance/**/*.ts", "firmware/**/*.ts"] }),
  ];
  if (minify) list.push(terser(terserOptions));
  return list;
}

function espruinoModule(input, file, debug) {
  return { input, output: { file, format: "cjs", esModule: false, strict: false, exports: "named" }, plugins: plugins(debug, true, "es5") };
}

/** Allocators a firmware can take one by one; each is measured as its own module. */
export const MODULES = {
  "fixed-buffer": "src/allocators/fixed-buffer.ts",
  arena: "src/allocators/arena.ts",
  pool: "src/allocators/pool.ts",
  stack: "src/allocators/stack.ts",
  tlsf: "src/allocators/tlsf.ts",
  struct: "src/layout/struct.ts",
  "boot-heap": "src/heap/boot-heap.ts",
};

export default [
  { input: "src/index.ts", output: { file: "dist/node/index.js", format: "es" }, plugins: plugins(false, false, "es2020") },
  espruinoModule("src/index.ts", "dist/espruino/bootheap.min.js", false),
  espruinoModule("src/index.ts", "dist/espruino/bootheap.debug.min.js", true),
  ...Object.keys(MODULES).map((name) => espruinoModule(MODULES[name], "dist/espruino/modules/" + name + ".min.js", false)),
  { input: "test/conformance/selftest.ts", output: { file: "dist/selftest/selftest.js", format: "iife", strict: false }, plugins: plugins(true, false, "es5") },
];
