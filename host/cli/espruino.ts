// `bootheap espruino ARGS...`: the real espruino tool (the one bootheap depends on), with
// require("name") resolved from the project's modules/ folder (see findModulesDir for why the
// tool needs telling). Everything else is the tool's own: `bootheap espruino -p PORT app.js`.
import { spawn } from "node:child_process";
import { ESPRUINO_CLI, findModulesDir, localModuleArgs } from "./espruino-tool.js";

export function espruino(argv: string[]): Promise<number> {
  const modules = findModulesDir();
  const chooses = argv.some((a, i) => a === "--config" && /^MODULE_URL=/.test(argv[i + 1] ?? ""));
  const args = modules === null || chooses ? argv : [...localModuleArgs(modules), ...argv];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ESPRUINO_CLI, ...args], { stdio: "inherit" });
    child.on("close", (code) => resolve(code ?? 1));
  });
}
