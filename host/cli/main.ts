// `bootheap` command: dispatches to its subcommands and turns known errors into one clear line.
import { parseArgs, UsageError } from "./args.js";
import { emulate } from "./emulate.js";
import { flash } from "./flash.js";
import { inspect } from "./inspect.js";
import { BoardError } from "../boards.js";

const USAGE = `usage:
  bootheap emulate [--board B] [--port N] [--flash-dir DIR] [--fresh] [--app NAME | FILE | --bare]
      boot board B in the emulator; console on this terminal and, with --port, on
      tcp://127.0.0.1:N (0 = any free port). Flash (Storage, save()) persists in
      DIR/<B>.flash (default .bootheap/flash, or $BOOTHEAP_FLASH_DIR); --fresh empties it
      first. The app is flashed as the board's program, replacing the stored one (its
      .bootcde and save()d state; other Storage files stay), so only it boots; --bare
      flashes nothing and boots what the flash holds. In a project (package.json
      "bootheap" key) B and the app default to the project's board and its built
      firmware, dist/<B>/<app>.js.
  bootheap flash --board B --port P [--app NAME | FILE]
      upload with the espruino tool to P (serial device, Bluetooth address or
      tcp://host:port) into flash, so it survives a reset.
  bootheap inspect --port P [--board B] [--svg FILE]
      read the heap image (MEM.dump()) from a board or emulator at P through the
      espruino tool; print the stats table and a coloured heap map; --svg writes a picture.
  In this repository --app NAME uses dist/firmware/<B>/<NAME>.js (built by npm run
  build); emulate flashes the "demo" app when it is built and no app is named.`;

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.options.has("help") || args.command === "help" || args.command === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    if (args.command === "emulate") return await emulate(args);
    if (args.command === "flash") return await flash(args);
    if (args.command === "inspect") return await inspect(args);
    throw new UsageError(`unknown command "${args.command}"`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof BoardError) {
      process.stderr.write(`bootheap: ${e.message}\n${e instanceof UsageError ? USAGE + "\n" : ""}`);
      return 2;
    }
    throw e;
  }
}
