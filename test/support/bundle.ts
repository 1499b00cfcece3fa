// Bundles an entry the way rollup.config.js builds the on-device bundles (same plugins and
// options, ES5, __DEBUG__ replaced), in memory, so tests can measure and run debug and release
// builds of the same code side by side.
import typescript from "@rollup/plugin-typescript";
import replace from "@rollup/plugin-replace";
import { rollup, type Plugin } from "rollup";
import { ES5, es5Minifier } from "../../rollup.config.js";

export interface BundleOptions {
  debug: boolean;
  minify: boolean;
  /** "cjs" for a module (exports.X = ...), "iife" for a script. */
  format: "cjs" | "iife";
}

export async function bundle(input: string, options: BundleOptions): Promise<string> {
  const plugins: Plugin[] = [
    replace({ preventAssignment: true, values: { __DEBUG__: String(options.debug) } }) as Plugin,
    typescript({ tsconfig: "./tsconfig.json", compilerOptions: ES5, include: ["src/**/*.ts", "plan/**/*.ts", "test/**/*.ts", "firmware/**/*.ts"], noForceEmit: false }) as Plugin,
  ];
  if (options.minify) plugins.push(es5Minifier());
  const build = await rollup({ input: input, plugins: plugins, onwarn: function () {} });
  const out = await build.generate({ format: options.format, esModule: false, strict: false, exports: "named" });
  await build.close();
  return out.output[0].code;
}
