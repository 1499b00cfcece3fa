// process.env of an emulated board: what the espruino tool reads on connect to identify the
// board (BOARD, VERSION) and which modules are built in (MODULES; others it would download).
import type { Board } from "../boards.js";
import { FIRMWARE_VERSION } from "../../plan/board.js";

export { FIRMWARE_VERSION };

export function boardEnv(board: Board): Record<string, string | number | boolean> {
  const modules = ["Storage", "heatshrink", ...(board.features.includes("net") ? ["net"] : [])];
  return {
    VERSION: FIRMWARE_VERSION,
    GIT_COMMIT: "bootheap-emulator",
    BOARD: board.name,
    RAM: board.ramKB * 1024,
    FLASH: 0,
    STORAGE: board.storageBytes,
    SERIAL: "b00748ea-0000-0000-0000-" + board.name.length.toString(16).padStart(12, "0"),
    // Not "USB"/"Telnet": for those the espruino tool (0.1.67) switches to fast writes and then
    // never completes a write shorter than 512 bytes, so `espruino -e EXPR` would hang.
    CONSOLE: "Serial1",
    MODULES: modules.join(","),
    EXPTR: 0,
    EMULATOR: "bootheap",
  };
}
