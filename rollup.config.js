// Builds every bundle from src/ (see README "Builds"):
//   dist/node/index.js                  ESM for Node (types from tsconfig.types.json)
//   dist/espruino/bootheap.min.js       the on-device module (exports.X = ...), ES5, minified, release
//   dist/espruino/bootheap.debug.min.js the same with debug checks kept (__DEBUG__ = true)
//   dist/espruino/modules/<name>.min.js one allocator and what it needs, to measure each one's bytes
//   dist/selftest/selftest.js           the conformance suite as one ES5 script, for any engine (debug mode)
//   dist/selftest/selftest.release.js   the same in release mode
// __DEBUG__ is the build mode, as Zig's builtin.mode: release bundles replace it with false and
// the minifier drops every branch it guards.
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import replace from "@rollup/plugin-replace";
import { fileURLToPath } from "node:url";
import { terserOptions } from "./host/build/es5.ts";

export const ES5 = { target: "ES5", module: "ESNext", lib: ["ES2020", "DOM"], types: [], noEmit: false, declaration: false, noEmitHelpers: false, importHelpers: false, sourceMap: false };
/** Shared with test/support/bundle.ts, so the bundles tests make are minified as these are. */
export { terserOptions };

function plugins(debug, minify, target) {
  const list = [
    replace({ preventAssignment: true, values: { __DEBUG__: String(debug) } }),
    typescript({ tsconfig: "./tsconfig.json", compilerOptions: target === "es5" ? ES5 : { target: "ES2020", module: "ESNext", noEmit: false, declaration: false, sourceMap: false }, include: ["src/**/*.ts", "plan/**/*.ts", "test/conformance/**/*.ts", "firmware/**/*.ts"] }),
  ];
  if (minify) list.push(terser(terserOptions));
  return list;
}

function espruinoModule(input, file, debug) {
  return { input, output: { file, format: "cjs", esModule: false, strict: false, exports: "named" }, plugins: plugins(debug, true, "es5") };
}

/** Modules a firmware can take one by one; each is measured on its own (with what it imports). */
export const MODULES = {
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

/**
 * A firmware app as one ES5 script: the app, the boot code, the makers of the region kinds its
 * plans use (firmware/makers/<kind>.ts) and nothing else. The board is not
 * in the bundle: the build prepends `var BOOTHEAP_TARGET = {...};` per board, so one bundle per
 * app and mode serves every board.
 */
export function firmwareConfig(app, debug, kinds) {
  const entry = "\0bootheap-firmware:" + app;
  const path = (file) => JSON.stringify(fileURLToPath(new URL(file, import.meta.url)));
  const source =
    "import app from " + path("./firmware/apps/" + app + "/app.ts") + ";\n" +
    "import { bootOnDevice } from " + path("./firmware/boot.ts") + ";\n" +
    kinds.map((kind) => "import { make as " + kind + " } from " + path("./firmware/makers/" + kind + ".ts") + ";\n").join("") +
    "bootOnDevice(app, BOOTHEAP_TARGET, { " + kinds.map((kind) => kind + ": " + kind).join(", ") + " });\n";
  return {
    input: entry,
    output: { format: "iife", strict: false },
    plugins: [
      {
        name: "firmware-entry",
        resolveId: (id) => (id === entry ? entry : null),
        load: (id) => (id === entry ? source : null),
      },
      ...plugins(debug, true, "es5"),
    ],
  };
}

export default [
  { input: "src/index.ts", output: { file: "dist/node/index.js", format: "es" }, plugins: plugins(false, false, "es2020") },
  espruinoModule("src/index.ts", "dist/espruino/bootheap.min.js", false),
  espruinoModule("src/index.ts", "dist/espruino/bootheap.debug.min.js", true),
  ...Object.keys(MODULES).map((name) => espruinoModule(MODULES[name], "dist/espruino/modules/" + name + ".min.js", false)),
  { input: "test/conformance/selftest.ts", output: { file: "dist/selftest/selftest.js", format: "iife", strict: false }, plugins: plugins(true, false, "es5") },
  { input: "test/conformance/selftest.ts", output: { file: "dist/selftest/selftest.release.js", format: "iife", strict: false }, plugins: plugins(false, false, "es5") },
];
