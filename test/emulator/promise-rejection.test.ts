// An unhandled promise rejection, as the device reports it: an Error "Unhandled promise
// rejection: <reason>", printed as uncaught or given to process.on('uncaughtException').
import { describe, it, expect } from "vitest";
import { emulate } from "../../host/emulator/library.js";

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe("unhandled promise rejections", () => {
  it("print as an uncaught Error naming the reason", async () => {
    const board = await emulate({ board: "PUCKJS" });
    try {
      await board.send("new Promise(function () { throw 'B2'; });\r");
      await until(() => board.output.includes("Unhandled"));
      expect(board.output).toContain("Uncaught Error: Unhandled promise rejection: B2\r\n");
    } finally {
      await board.close();
    }
  });

  it("reach process.on('uncaughtException') instead when it has a handler", async () => {
    const board = await emulate({ board: "PUCKJS" });
    try {
      await board.send("process.on('uncaughtException', function (e) { print('got', e.message); });\r");
      await board.send("Promise.reject('B3');\r");
      await until(() => board.output.includes("got "));
      expect(board.output).toContain("got Unhandled promise rejection: B3\r\n");
      expect(board.output).not.toContain("Uncaught");
    } finally {
      await board.close();
    }
  });
});
