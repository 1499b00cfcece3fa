// `bootheap` command: dispatches to its subcommands and turns known errors into one clear line.
import { parseArgs, UsageError } from "./args.js";
import { BoardError } from "../boards.js";
import { ProjectError } from "../project/project.js";
import { PACKAGE_VERSION } from "../package-root.js";

const USAGE = `usage:
  bootheap init [--board B] [--ts] [DIR]
      scaffold a project in DIR (default: here): app.js (app.ts with --ts) with a memory
      plan, a test that boots it on the emulated board, package.json scripts, modules/
      for require("bootheap") from the espruino tool or the Web IDE. Overwrites nothing.
  bootheap build [--board B] [--app FILE] [--debug] [--code-in flash|ram]
      bundle the project's app (package.json "bootheap": board, app) for board B into
      dist/B/, check it against Espruino's rules and print whether it fits the board's
      JsVars and Storage; exit 1 with the bytes missing if not.
  bootheap emulate [--board B] [--port N] [--flash-dir DIR] [--fresh] [--app NAME | FILE | --bare]
      boot board B in the emulator; console on this terminal and, with --port, on
      tcp://127.0.0.1:N (0 = any free port). Flash (Storage, save()) persists in
      DIR/<B>.flash (default .bootheap/flash, or $BOOTHEAP_FLASH_DIR); --fresh empties it
      first. The app is flashed as the board's program, replacing the stored one (its
      .bootcde and save()d state; other Storage files stay), so only it boots; --bare
      flashes nothing and boots what the flash holds. In a project (package.json
      "bootheap" key) B and the app default to the project's board and its built
      firmware, dist/<B>/<app>.js.
  bootheap flash [--board B] --port P [--app NAME | FILE]
      upload with the espruino tool to P (serial device, Bluetooth address or
      tcp://host:port) into flash, so it survives a reset. In a project, B and the
      app default to the project's board and its built firmware.
  bootheap espruino ARGS...
      the espruino tool bootheap ships with, require("name") resolved from the
      project's modules/ (e.g. bootheap espruino -p tcp://127.0.0.1:2323 plain.js).
  bootheap inspect --port P [--board B] [--svg FILE]
      read the heap image (MEM.dump()) from a board or emulator at P through the
      espruino tool; print the stats table and a coloured heap map; --svg writes a picture.
  In this repository --app NAME uses dist/firmware/<B>/<NAME>.js (built by npm run
  build); emulate flashes the "demo" app when it is built and no app is named.`;

export async function main(argv: string[]): Promise<number> {
  // The espruino tool's own arguments pass through untouched.
  if (argv[0] === "espruino") return (await import("./espruino.js")).espruino(argv.slice(1));
  try {
    const args = parseArgs(argv);
    if (args.options.has("help") || args.command === "help" || args.command === "--help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    if (args.command === "--version" || args.command === "version" || args.options.has("version")) {
      process.stdout.write(PACKAGE_VERSION + "\n");
      return 0;
    }
    // Each command loads its own modules: `--version` or `emulate` never pays for TypeScript and rollup.
    if (args.command === "init") return await (await import("./init.js")).init(args);
    if (args.command === "build") return await (await import("./build.js")).build(args);
    if (args.command === "emulate") return await (await import("./emulate.js")).emulate(args);
    if (args.command === "flash") return await (await import("./flash.js")).flash(args);
    if (args.command === "inspect") return await (await import("./inspect.js")).inspect(args);
    throw new UsageError(`unknown command "${args.command}"`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof BoardError || e instanceof ProjectError) {
      process.stderr.write(`bootheap: ${e.message}\n${e instanceof UsageError ? USAGE + "\n" : ""}`);
      return 2;
    }
    throw e;
  }
}
