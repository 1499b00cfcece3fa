// Bundles a firmware: an app (TypeScript or JavaScript, importing "bootheap" or the sources by
// path), the boot code and the allocator makers of the region kinds its plan uses, as one ES5
// script for the board, minified as every on-device bundle is (es5.ts). Each file is
// transpiled on its own (ts.transpileModule: no type-check, so a build takes seconds), which is
// what lets the same pipeline build the repository's apps from source and a user's app from
// an installed package.
import { existsSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { rollup, type Plugin } from "rollup";
import ts from "typescript";
import { PACKAGE_ROOT, packagePath } from "../package-root.js";
import { minifyES5 } from "./es5.js";
import { BuildError, locate } from "./build-error.js";

const ENTRY = "\0bootheap-firmware";
const SOURCE_EXTENSIONS = [".ts", ".js", ".mjs"];

/** What `import ... from "bootheap"` means in an app: the library's portable sources. */
const LIBRARY_ENTRY = packagePath("src", "index.ts");

/** A path as an import specifier inside the generated entry. */
function specifier(path: string): string {
  return JSON.stringify(path);
}

/** The file an import names: as written, or the .ts behind a .js name (TypeScript's convention), or with an extension added. */
function resolveFile(path: string): string | null {
  const candidates = [path];
  if (path.endsWith(".js")) candidates.push(path.slice(0, -3) + ".ts");
  for (const ext of SOURCE_EXTENSIONS) candidates.push(path + ext);
  for (const ext of SOURCE_EXTENSIONS) candidates.push(join(path, "index" + ext));
  for (const candidate of candidates) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

/** Resolves relative imports and "bootheap"; anything else is not available on a board. */
function resolver(entrySource: string): Plugin {
  return {
    name: "bootheap-resolve",
    resolveId(id, importer) {
      if (id === ENTRY) return ENTRY;
      if (id === "bootheap") return LIBRARY_ENTRY;
      if (id.startsWith(".") || isAbsolute(id)) {
        const base = importer === undefined || importer === ENTRY ? process.cwd() : dirname(importer);
        const file = resolveFile(resolve(base, id));
        if (file === null) throw new BuildError(`${importer ?? "entry"}: cannot find "${id}" (looked for ${resolve(base, id)} with .ts, .js, .mjs)`);
        return file;
      }
      throw new BuildError(
        `${importer ?? "entry"}: imports "${id}", which a board cannot load from npm: a firmware is one script. ` +
          `Import allocators from "bootheap", your own files by relative path, and reach the board's modules with require() inside start().`,
      );
    },
    load(id) {
      return id === ENTRY ? entrySource : null;
    },
  };
}

/** Each file to ES5 (or `target`) on its own, with __DEBUG__ replaced by the build mode. */
function transpiler(debug: boolean, target: ts.ScriptTarget): Plugin {
  return {
    name: "bootheap-transpile",
    transform(code, id) {
      if (id === ENTRY || !SOURCE_EXTENSIONS.includes(extname(id))) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        reportDiagnostics: true,
        compilerOptions: { target, module: ts.ModuleKind.ESNext, allowJs: true, sourceMap: false, importHelpers: false, noEmitHelpers: false, esModuleInterop: false },
      });
      const error = (out.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
      if (error) {
        throw new BuildError(locate(id, code, error.start ?? 0) + ": syntax error: " + ts.flattenDiagnosticMessageText(error.messageText, "\n"));
      }
      // After transpiling, so `declare const __DEBUG__` is gone and only uses are replaced.
      return { code: out.outputText.replace(/\b__DEBUG__\b/g, String(debug)), map: null };
    },
  };
}

export interface Bundle {
  code: string;
  /** Every source file that went in: what an incremental build checks for changes. */
  files: string[];
}

async function run(entrySource: string, plugins: Plugin[], format: "iife" | "cjs"): Promise<Bundle> {
  const bundle = await rollup({
    input: ENTRY,
    plugins: [resolver(entrySource), ...plugins],
    // bootheap's modules do nothing when imported, so an app that imports "bootheap" carries
    // only the modules it uses, not the whole library the index re-exports.
    treeshake: { moduleSideEffects: (id) => !id.startsWith(PACKAGE_ROOT + "/src/") && !id.startsWith(PACKAGE_ROOT + "/plan/") },
    onwarn(warning) {
      throw new BuildError("rollup: " + warning.message);
    },
  });
  try {
    const out = await bundle.generate({ format, strict: false, exports: "auto" });
    return { code: out.output[0].code, files: bundle.watchFiles.filter((f) => f !== ENTRY) };
  } finally {
    await bundle.close();
  }
}

/**
 * The app's module alone, as CommonJS for Node: what the build evaluates to read the app's
 * plan for each board (and so which allocator kinds the firmware must carry).
 */
export function bundleAppModule(appFile: string): Promise<Bundle> {
  const entry = "export { default } from " + specifier(appFile) + ";\n";
  return run(entry, [transpiler(false, ts.ScriptTarget.ES2020)], "cjs");
}

export interface FirmwareOptions {
  appFile: string;
  debug: boolean;
  /** Region kinds whose makers the firmware carries (firmware/makers/<kind>.ts). */
  kinds: string[];
}

/** The firmware as one minified ES5 script. The board is not in it: the build prepends `var BOOTHEAP_TARGET = {...};`. */
export async function bundleFirmware(options: FirmwareOptions): Promise<Bundle> {
  const kinds = [...options.kinds].sort();
  const entry =
    "import app from " + specifier(options.appFile) + ";\n" +
    "import { bootOnDevice } from " + specifier(packagePath("firmware", "boot.ts")) + ";\n" +
    kinds.map((kind) => "import { make as " + kind + " } from " + specifier(packagePath("firmware", "makers", kind + ".ts")) + ";\n").join("") +
    "bootOnDevice(app, BOOTHEAP_TARGET, { " + kinds.map((kind) => kind + ": " + kind).join(", ") + " });\n";
  const bundle = await run(entry, [transpiler(options.debug, ts.ScriptTarget.ES5)], "iife");
  return { code: await minifyES5(bundle.code, false, true), files: bundle.files };
}
