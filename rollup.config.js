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
import replace from "@rollup/plugin-replace";
import { es5Minifier, terserOptions } from "./host/build/es5.ts";
import { MODULE_SOURCES } from "./host/build/modules.ts";

export const ES5 = { target: "ES5", module: "ESNext", lib: ["ES2020", "DOM"], types: [], noEmit: false, declaration: false, noEmitHelpers: false, importHelpers: false, sourceMap: false };
/** Shared with test/support/bundle.ts, so the bundles tests make are minified as these are. */
export { es5Minifier, terserOptions };

function plugins(debug, minify, target, share) {
  const list = [
    replace({ preventAssignment: true, values: { __DEBUG__: String(debug) } }),
    typescript({ tsconfig: "./tsconfig.json", compilerOptions: target === "es5" ? ES5 : { target: "ES2020", module: "ESNext", noEmit: false, declaration: false, sourceMap: false }, include: ["src/**/*.ts", "plan/**/*.ts", "test/conformance/**/*.ts", "firmware/**/*.ts"] }),
  ];
  if (minify) list.push(es5Minifier(share ? { debug } : undefined));
  return list;
}

/** `share`: one of the modules a firmware can take one by one, which define their common helpers once per board (host/build/shared-helpers.ts). */
function espruinoModule(input, file, debug, share) {
  return { input, output: { file, format: "cjs", esModule: false, strict: false, exports: "named" }, plugins: plugins(debug, true, "es5", share) };
}

/** Modules a firmware can take one by one; each is measured on its own (with what it imports). */
export const MODULES = MODULE_SOURCES;

export default [
  { input: "src/index.ts", output: { file: "dist/node/index.js", format: "es" }, plugins: plugins(false, false, "es2020") },
  espruinoModule("src/index.ts", "dist/espruino/bootheap.min.js", false),
  espruinoModule("src/index.ts", "dist/espruino/bootheap.debug.min.js", true),
  ...Object.keys(MODULES).map((name) => espruinoModule(MODULES[name], "dist/espruino/modules/" + name + ".min.js", false, true)),
  { input: "test/conformance/selftest.ts", output: { file: "dist/selftest/selftest.js", format: "iife", strict: false }, plugins: plugins(true, false, "es5") },
  { input: "test/conformance/selftest.ts", output: { file: "dist/selftest/selftest.release.js", format: "iife", strict: false }, plugins: plugins(false, false, "es5") },
];
