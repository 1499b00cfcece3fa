// The `espruino` tool's own pretokeniser (its plugins/pretokenise.js), loaded as the tool loads
// it, to check host/pretokenised.ts against what the tool really uploads.
import * as acorn from "acorn";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import vm from "node:vm";

type Processor = (code: string, callback: (out: string) => void) => void;

/** The tool's transform of code sent with "save on send" to an interpreter of `version`. */
export function toolPretokenise(code: string, version: string): string {
  const pluginPath = createRequire(import.meta.url).resolve("espruino/plugins/pretokenise.js");
  const processors: Record<string, Processor> = {};
  const Espruino = {
    Config: { PRETOKENISE: 1, SAVE_ON_SEND: 1 },
    Core: { Config: { add: () => {} }, Env: { getBoardData: () => ({ VERSION: version }) }, Utils: { atob: (s: string) => Buffer.from(s, "base64").toString("latin1") } },
    Plugins: {} as Record<string, { init: () => void }>,
    addProcessor: (name: string, fn: Processor) => (processors[name] = fn),
  };
  vm.runInNewContext(readFileSync(pluginPath, "utf8"), { acorn, Espruino, console });
  Espruino.Plugins.Pretokenise.init();
  let out = "";
  processors.transformForEspruino(code, (result) => (out = result));
  return out;
}
