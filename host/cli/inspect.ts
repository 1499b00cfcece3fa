// `bootheap inspect --port P [--board B] [--svg FILE]`: asks a board or an emulator, through the
// real espruino tool, for MEM.dump(); checks the image; prints the stats table and a coloured
// heap map; with --svg writes a picture of the heap.
import { writeFileSync } from "node:fs";
import { loadBoard } from "../boards.js";
import { checkKnown, UsageError, type ParsedArgs } from "./args.js";
import { makeOfflineDir, offlineArgs, runEspruinoTool } from "./espruino-tool.js";
import { Progress } from "./progress.js";
import { userProject } from "./app-file.js";
import { heapFromImage, parseDump } from "../inspect/image.js";
import { colourMap, heapSvg, statsText } from "../inspect/render.js";
import { heapMap } from "../../src/inspect/heap-map.js";
import { DUMP_END } from "../../src/inspect/image.js";

/** The longest a board may take to print its image (a 100 KB heap is about 2,100 lines). */
const INSPECT_TIMEOUT_MS = 120_000;

/** What the board printed: the espruino tool shows each of its lines after "--] ", the first after the prompt. */
export function boardOutput(toolStdout: string): string {
  return toolStdout
    .split(/\r?\n/)
    .filter((line) => line.startsWith("--]"))
    .map((line) => line.replace(/^--\] ?>?/, ""))
    .join("\n");
}

export async function inspect(args: ParsedArgs): Promise<number> {
  checkKnown(args, ["board", "port", "svg", "help"]);
  const port = args.options.get("port");
  if (!port) throw new UsageError("inspect needs --port P (a serial device, a Bluetooth address, or tcp://host:port)");
  // The board only labels the output; in a user's project it defaults to the project's.
  const boardName = args.options.get("board") ?? userProject()?.config.board;
  const board = boardName ? loadBoard(boardName) : null;
  const offline = makeOfflineDir();
  const progress = new Progress();
  progress.update(`reading the heap image from ${port}`);
  try {
    let lines = 0;
    // The tool does not always exit after -e (against a real interpreter it may wait on), so
    // stop it once the image's last line has come.
    const run = runEspruinoTool(["-p", port, ...offlineArgs(offline.dir), "-e", "MEM.dump()"], (line) => {
      lines++;
      if (lines % 100 === 0) progress.update(`reading the heap image from ${port}: ${lines} lines`);
      if (line.indexOf(DUMP_END) >= 0) run.stop();
    }, INSPECT_TIMEOUT_MS);
    const result = await run.done;
    let heap;
    try {
      heap = heapFromImage(parseDump(boardOutput(result.stdout)));
    } catch (e) {
      progress.done(`inspect failed: ${(e as Error).message}`);
      if (/MEM is not defined|not defined/.test(result.stdout)) process.stderr.write("the board has no MEM object: is a bootheap firmware running on it?\n");
      if (result.code !== 0) process.stderr.write(result.stderr);
      return 1;
    }
    progress.done(`read ${heap.sizeBytes} bytes from ${port}${board ? " (" + board.name + ")" : ""}`);
    const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    process.stdout.write(statsText(heap) + "\n\n" + (colour ? colourMap(heap) : heapMap(heap)) + "\n");
    const svg = args.options.get("svg");
    if (svg) {
      writeFileSync(svg, heapSvg(heap, "bootheap heap map" + (board ? " — " + board.name : "") + " (" + port + ")"));
      process.stdout.write(`wrote ${svg}\n`);
    }
    return 0;
  } finally {
    offline.remove();
  }
}
