// `bootheap flash --board B --port P [--app NAME | FILE]`: uploads the app (in a user's project,
// by default its own firmware for its board) with the real espruino tool to P (serial device,
// Bluetooth address, or tcp://host:port for an emulator) straight into flash (.bootcde, the
// tool's "Direct to Flash" mode), then loads it, so it survives a reset and a power cycle.
import { loadBoard } from "../boards.js";
import { checkKnown, UsageError, type ParsedArgs } from "./args.js";
import { resolveApp, userProject } from "./app-file.js";
import { makeOfflineDir, offlineArgs, runEspruinoTool } from "./espruino-tool.js";
import { Progress } from "./progress.js";

/**
 * Save on Send = 1: the tool writes the code to .bootcde with Storage.write, then load().
 * PRETOKENISE = 1 ("Auto"): pretokenised for the board's version (host/pretokenised.ts), about 14%
 * fewer Storage bytes, which is what the build's fit check counts.
 */
export function flashArgs(port: string, offlineDir: string, file: string): string[] {
  return ["-p", port, ...offlineArgs(offlineDir), "--config", "SAVE_ON_SEND=1", "--config", "PRETOKENISE=1", file];
}

export async function flash(args: ParsedArgs): Promise<number> {
  checkKnown(args, ["board", "port", "app", "help"]);
  // In a user's project the board and the firmware default to the project's.
  const project = userProject();
  const boardName = args.options.get("board") ?? project?.config.board;
  if (!boardName) throw new UsageError("flash needs --board B");
  const board = loadBoard(boardName);
  const port = args.options.get("port");
  if (!port) throw new UsageError("flash needs --port P (a serial device, a Bluetooth address, or tcp://host:port)");
  const app = resolveApp(args, board.name, () => {}, project, null);
  if (!app) throw new UsageError("flash needs --app NAME or a FILE to upload");

  const offline = makeOfflineDir();
  const progress = new Progress();
  progress.update(`connecting to ${port}`);
  try {
    const run = runEspruinoTool(flashArgs(port, offline.dir, app.path), (line) => {
      if (line.startsWith("--]")) progress.update(`${board.name}: ${line.slice(4).trim().slice(0, 60)}`);
    });
    progress.update(`uploading ${app.label} (${app.code.length} bytes) to flash`);
    const result = await run.done;
    if (result.code !== 0 || /Unable to connect|Connection Error/i.test(result.stdout + result.stderr)) {
      progress.done(`flash failed (espruino tool exit code ${result.code})`);
      process.stderr.write(result.stdout + result.stderr);
      return 1;
    }
    progress.done(`flashed ${app.label} to ${board.name} at ${port}; it runs from .bootcde after every reset`);
    return 0;
  } finally {
    offline.remove();
  }
}
