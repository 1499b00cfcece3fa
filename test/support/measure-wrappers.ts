// Measures what the build mode does to a firmware: bundles test/support/firmware-sample.ts as
// debug and as release (minified ES5, exactly as rollup.config.js builds on-device bundles),
// prints both sizes and whether a wrapper-only string survives in each.
// Run: npx tsx test/support/measure-wrappers.ts
import { bundle } from "./bundle.js";

/** Strings only the wrappers contain: present in debug bundles, absent from release. */
export const WRAPPER_ONLY = ["DoubleFree", "BufferOverflow", "TableFull"];

export interface Measurement {
  releaseBytes: number;
  debugBytes: number;
  releaseHas: string[];
  debugHas: string[];
  release: string;
  debug: string;
}

export async function measure(entry: string): Promise<Measurement> {
  const release = await bundle(entry, { debug: false, minify: true, format: "iife" });
  const debug = await bundle(entry, { debug: true, minify: true, format: "iife" });
  return {
    releaseBytes: release.length,
    debugBytes: debug.length,
    releaseHas: WRAPPER_ONLY.filter((s) => release.indexOf(s) >= 0),
    debugHas: WRAPPER_ONLY.filter((s) => debug.indexOf(s) >= 0),
    release: release,
    debug: debug,
  };
}

/** Each wrapper as its own on-device module (release, minified), as rollup.config.js's MODULES would build it. */
export const WRAPPER_MODULES: { [name: string]: string } = {
  debug: "src/wrappers/debug.ts",
  "debug-table": "src/wrappers/debug-table.ts",
  counting: "src/wrappers/counting.ts",
  failing: "src/wrappers/failing.ts",
  "check-all-failures": "src/wrappers/check-all-failures.ts",
  static: "src/wrappers/static.ts",
  fallback: "src/wrappers/fallback.ts",
  pressure: "src/wrappers/pressure.ts",
  instrument: "src/wrappers/instrument.ts",
};

export async function moduleSizes(): Promise<{ [name: string]: number }> {
  const out: { [name: string]: number } = {};
  for (const name of Object.keys(WRAPPER_MODULES)) {
    out[name] = (await bundle(WRAPPER_MODULES[name], { debug: false, minify: true, format: "cjs" })).length;
  }
  return out;
}

if (process.argv[1] !== undefined && /measure-wrappers\.ts$/.test(process.argv[1])) {
  measure("test/support/firmware-sample.ts").then((m) => {
    console.log("firmware-sample release: " + m.releaseBytes + " bytes, wrapper-only strings: " + (m.releaseHas.join(", ") || "none"));
    console.log("firmware-sample debug:   " + m.debugBytes + " bytes, wrapper-only strings: " + (m.debugHas.join(", ") || "none"));
    console.log("the wrappers cost " + (m.debugBytes - m.releaseBytes) + " bytes of minified source in debug builds");
    return moduleSizes();
  }).then((sizes) => {
    for (const name of Object.keys(sizes)) console.log("module " + name + ": " + sizes[name] + " bytes (minified, with what it imports)");
  });
}
