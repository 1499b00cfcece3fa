// `bootheap emulate [--board B] [--port N] [--flash-dir DIR] [--fresh] [--app NAME | FILE | --bare]`:
// boots a board in the emulator with its flash from DIR, flashes the app asked for as the
// board's program, and serves the console on this terminal and, with --port, on 127.0.0.1:N
// (0 picks a free port; the line printed says which).
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadBoard } from "../boards.js";
import { BoardHost } from "../emulator/board-host.js";
import { serveTcpConsole, type TcpConsole } from "../emulator/tcp-console.js";
import { attachTerminal } from "../emulator/terminal-console.js";
import { checkKnown, UsageError, type ParsedArgs } from "./args.js";
import { resolveApp, userProject, DEFAULT_APP } from "./app-file.js";
import { Progress } from "./progress.js";

export const DEFAULT_BOARD = "ESPRUINOWIFI";

/** Where each board's flash file lives: --flash-dir, $BOOTHEAP_FLASH_DIR, or .bootheap/flash. */
export function flashDir(args: ParsedArgs): string {
  return resolve(args.options.get("flash-dir") ?? process.env.BOOTHEAP_FLASH_DIR ?? join(".bootheap", "flash"));
}

export async function emulate(args: ParsedArgs): Promise<number> {
  checkKnown(args, ["board", "port", "app", "bare", "fresh", "flash-dir", "help"]);
  const project = userProject();
  const board = loadBoard(args.options.get("board") ?? project?.config.board ?? DEFAULT_BOARD);
  const portText = args.options.get("port");
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a TCP port number, got ${portText}`);
  const app = resolveApp(args, board.name, (s) => process.stderr.write(s + "\n"), project, DEFAULT_APP);
  const flashPath = join(flashDir(args), `${board.name}.flash`);
  // An empty flash file is no file: the board creates it at its first write.
  if (args.options.has("fresh")) rmSync(flashPath, { force: true });

  const progress = new Progress();
  progress.update(`booting ${board.name}${app ? " with " + app.label : ""} (flash ${flashPath})`);
  // The app is flashed before power-on, replacing the stored program: only it boots.
  const host = new BoardHost({ board, flashPath, app: app?.code ?? null });
  // The terminal sees the board from its first byte (banner, app output) when it is the console.
  const onTerminal = port === null || Boolean(process.stdin.isTTY);
  const early: string[] = [];
  const stopEarly = onTerminal ? host.onOutput((t) => early.push(t)) : () => {};
  const boot = await host.ready;
  if (app && boot.appError !== null) process.stderr.write(`warning: cannot flash ${app.label}: ${boot.appError}; the board booted without it\n`);
  let tcp: TcpConsole | null = null;
  if (port !== null) tcp = await serveTcpConsole(host, port);
  progress.done(`${board.name} running${app ? " " + app.label : ""}`);
  if (tcp) process.stdout.write(`bootheap: ${board.name} console on tcp://127.0.0.1:${tcp.port}\n`);

  return new Promise<number>((resolveExit) => {
    let detach = (): void => {};
    let stopping = false;
    const stop = async (): Promise<void> => {
      if (stopping) return;
      stopping = true;
      detach();
      await tcp?.close();
      await host.stop();
      resolveExit(0);
    };
    // With only a TCP console asked for and no terminal, stdin is left alone.
    if (onTerminal) {
      process.stdout.write(`bootheap: ${board.name} console here; Ctrl-C interrupts, Ctrl-D or Ctrl-C twice quits\n`);
      stopEarly();
      process.stdout.write(Buffer.from(early.join(""), "latin1"));
      detach = attachTerminal(host, () => void stop());
    }
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
  });
}
