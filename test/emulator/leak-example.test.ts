// The example test of docs/EMULATOR.md ("The emulator as a library"), run for real on both
// versions of an app: the leaky one is caught, the fixed one passes. The app stands in for a
// firmware built by `bootheap build`: it loads the repository's on-device library bundle
// (dist/espruino/bootheap.min.js, as the espruino tool would from modules/) and exposes APP.step()
// and MEM.reports() as such a firmware does. The whole library's text (about 60 KB) does not fit
// a Puck.js's Storage, so it runs on an ESPRUINOWIFI.
import { test, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { emulate, type EmulatorBoard } from "../../host/emulator/library.js";

const LIBRARY_BUNDLE = fileURLToPath(new URL("../../dist/espruino/bootheap.min.js", import.meta.url));

/**
 * The app: each step formats a reading into a message buffer from the general heap and sends
 * it. A reading equal to the last one is not sent; the leaky version returns early there and
 * forgets to free the buffer.
 */
function appCode(leaky: boolean): string {
  if (!existsSync(LIBRARY_BUNDLE)) throw new Error(`${LIBRARY_BUNDLE} is missing: run npm run build (or npx tsx host/build/build.ts --board ESPRUINOWIFI --app logger)`);
  return `Modules.addCached("bootheap", function () {${readFileSync(LIBRARY_BUNDLE, "utf8")}
});
var BH = require("bootheap");
var heap = new BH.BootHeap(16384);
var gp = new BH.TlsfAllocator(heap, heap.carve(8192, 8, "gp"));
heap.seal();
// What a firmware built by bootheap build offers at the console.
var MEM = { reports: function () { return BH.heapReports(heap); } };
var sent = 0;
var last = -1;
var count = 0;
var APP = {
  step: function () {
    count++;
    var reading = (count >> 1) % 4;
    var msg = gp.alloc(16, 4);
    if (msg === 0) return -1;
    heap.u8[msg] = reading;
    if (reading === last) {
      ${leaky ? "" : "gp.free(msg, 16);"}
      return 0;
    }
    last = reading;
    sent += heap.u8[msg];
    gp.free(msg, 16);
    return 1;
  }
};
print("app on " + process.env.BOARD);
`;
}

/** What each region of the heap uses, as MEM reports it. */
const USED = "MEM.reports().map(function (r) { return r.name + ' ' + r.usedBytes; })";

interface Use {
  /** MEM's heap regions. */
  heap: string[];
  /** The engine's JsVars in use (process.memory().usage). */
  jsVars: number;
}

/** The docs' check: heap and JsVar use before and after 1,000 steps of the app's work. */
async function useAround1000Steps(board: EmulatorBoard): Promise<{ before: Use; after: Use }> {
  const use = async (): Promise<Use> => ({ heap: await board.eval<string[]>(USED), jsVars: (await board.memory()).usage });
  // A first round, so that what the loop itself creates (the global i) is there before measuring.
  await board.eval("for (var i = 0; i < 10; i++) APP.step()");
  const before = await use();
  await board.eval("for (var i = 0; i < 1000; i++) APP.step()");
  return { before, after: await use() };
}

test("the fixed app: 1,000 steps leave the heap as they found it", async () => {
  const board = await emulate({ board: "ESPRUINOWIFI", code: appCode(false) });
  try {
    expect(board.output).toContain("app on ESPRUINOWIFI");
    const { before, after } = await useAround1000Steps(board);
    expect(after).toEqual(before);
    expect(after.heap).toEqual(["gp 0"]);
    // The work was done: every other step sent a reading.
    expect(await board.eval("sent")).toBeGreaterThan(0);
  } finally {
    await board.close();
  }
});

test("the leaky app: the same check catches the buffers it forgot to free", async () => {
  const board = await emulate({ board: "ESPRUINOWIFI", code: appCode(true) });
  try {
    const { before, after } = await useAround1000Steps(board);
    // The docs' assertion, expect(after).toEqual(before), fails here.
    expect(after).not.toEqual(before);
    // The first round (10 steps) already leaked a few buffers.
    expect(Number(before.heap[0].split(" ")[1])).toBeLessThan(200);
    // Half the steps repeat a reading and leak 16 bytes each, until the region is full.
    expect(Number(after.heap[0].split(" ")[1])).toBeGreaterThan(4096);
    // A leak in the boot heap costs the engine no memory, so process.memory() alone would not
    // see it; and a full region answers 0 instead of dying with OUT OF MEMORY.
    expect(after.jsVars).toBe(before.jsVars);
    expect(await board.eval("APP.step()")).toBe(-1);
    expect(board.output).not.toContain("OUT OF MEMORY");
  } finally {
    await board.close();
  }
});
