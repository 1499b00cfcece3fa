// The board's thread: an EmulatedBoard fed by messages from the main thread (console bytes,
// requests from the library) and sending its console output back. Ctrl-C reaches a busy program
// through the shared flags. Plain TypeScript with static imports only, so it bundles as it is.
import { parentPort, workerData } from "node:worker_threads";
import { EmulatedBoard } from "../board.js";
import type { Board } from "../../boards.js";
import type { ToBoard, FromBoard, BoardRequest } from "./messages.js";

interface Init {
  board: Board;
  flashPath: string | null;
  flags: Int32Array;
  /** Code to flash as the board's program before power-on (replacing the stored one), or null. */
  app: string | null;
}

const port = parentPort!;
const init = workerData.init as Init;
const send = (m: FromBoard): void => port.postMessage(m);

const board = new EmulatedBoard({
  board: init.board,
  flashPath: init.flashPath,
  flags: init.flags,
  output: (text) => send({ type: "output", text }),
});

// In this thread every promise belongs to the board: an unhandled rejection is the program's.
process.on("unhandledRejection", (reason) => board.reportUnhandledRejection(reason));

function answer(id: number, request: BoardRequest): void {
  if (request.op === "eval") {
    const r = board.evaluateForHost(request.code);
    send(r.ok ? { type: "reply", id, ok: true, value: r.json } : { type: "reply", id, ok: false, message: r.message, errorType: r.errorType });
  } else if (request.op === "power-cycle") {
    board.powerOn();
    send({ type: "reply", id, ok: true, value: undefined });
  } else if (request.op === "storage-read") {
    send({ type: "reply", id, ok: true, value: board.storage.read(request.name) });
  } else {
    send({ type: "reply", id, ok: true, value: board.storage.list() });
  }
}

port.on("message", (m: ToBoard) => {
  if (m.type === "input" || m.type === "request") {
    try {
      if (m.type === "input") board.input(m.bytes);
      else answer(m.id, m.request);
    } catch (e) {
      // A bug of the emulator, not of the program: say so and keep serving.
      const text = (e as Error).stack ?? String(e);
      send({ type: "output", text: `\r\nINTERNAL ERROR (bootheap emulator): ${text}\r\n>` });
      if (m.type === "request") send({ type: "reply", id: m.id, ok: false, message: `bootheap emulator: ${(e as Error).message}`, errorType: "InternalError" });
    }
  } else if (m.type === "ping") {
    send({ type: "pong" });
  } else if (m.type === "stop") {
    board.dispose();
    port.close();
  }
});

/** Flashes the app given at start; the reason when it cannot be (e.g. larger than Storage). */
function flashApp(code: string): string | null {
  try {
    board.installBootCode(code);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

try {
  const appError = init.app === null ? null : flashApp(init.app);
  board.powerOn();
  send({ type: "ready", appError });
} catch (e) {
  send({ type: "fatal", message: (e as Error).message });
}
