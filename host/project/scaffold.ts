// The files `bootheap init` writes: an app with a memory plan, a test that boots it on the
// emulated board, a README, and the on-device modules for require("bootheap") (the espruino
// tool and the Web IDE look in ./modules). Text only; init.ts decides where and whether.
import { existsSync, readFileSync } from "node:fs";
import { MODULE_SOURCES } from "../build/modules.js";
import { packagePath } from "../package-root.js";

export type TestRunner = "node" | "vitest";

export interface ScaffoldOptions {
  board: string;
  ts: boolean;
  runner: TestRunner;
}

/** Samples kept in the pool: the app's steady state once the ring is full. */
const SAMPLE_SLOTS = 64;

/**
 * The app, in JavaScript or TypeScript from one text: \`type\` and \`cast\` add what only
 * TypeScript has, so the two languages cannot drift apart.
 */
function appSource(ts: boolean): string {
  const type = (annotation: string): string => (ts ? annotation : "");
  const cast = (expression: string, typeName: string): string => (ts ? `(${expression} as ${typeName})` : expression);
  const header = ts
    ? `import { struct, type App, type Memory, type MemoryPlan, type MemoryPool, type FixedBufferAllocator, type Target } from "bootheap";

declare const E: { getTemperature?: () => number } | undefined;
declare const global: { [name: string]: unknown };
declare function setInterval(fn: () => void, ms: number): unknown;`
    : `import { struct } from "bootheap";`;
  return `// A bootheap app. \`npx bootheap build\` bundles it for the board (package.json "bootheap")
// and tells you whether it fits; \`npm test\` boots it on the emulated board.
// Top-level code runs at build time too (to read the plan): keep board calls inside start().
${header}

// One sample is 8 bytes in the boot heap: no JavaScript object per sample.
var Sample = struct({ time: "u32", value: "f32" });
var SAMPLE_SLOTS = ${SAMPLE_SLOTS};
var SAMPLE_MS = 1000;

// The chip's temperature where the board has a sensor (NaN elsewhere, e.g. the Linux build), else a made-up wave.
function reading(time${type(": number")})${type(": number")} {
  var celsius = typeof E !== "undefined" && E.getTemperature ? E.getTemperature() : NaN;
  return celsius === celsius ? celsius : Math.sin(time / 8) * 20;
}

${ts ? "var app: App = {" : '/** @type {import("bootheap").App} */\nvar app = {'}
  name: "app",
  // The memory plan: the regions carved from the one buffer at boot. The build adds the code
  // and a reserve for your own objects and checks the total against the board's JsVars.
  plan: function (target${type(": Target")})${type(": MemoryPlan")} {
    return {
      regions: [
        { name: "samples", kind: "pool", slotSizeBytes: Sample.sizeBytes, slotCount: SAMPLE_SLOTS, align: Sample.alignBytes },
        { name: "ring", kind: "fixed", sizeBytes: 4 * SAMPLE_SLOTS },
      ],
    };
  },
  // Runs once the heap is carved and sealed: nothing asks the engine for data memory after this.
  start: function (memory${type(": Memory")}) {
    var samples = ${cast("memory.raw.samples", "MemoryPool")}; // a MemoryPool: create() a slot, destroy(ptr) it
    var u32 = memory.heap.u32;
    var ring = ${cast("memory.raw.ring", "FixedBufferAllocator")}.alloc(4 * SAMPLE_SLOTS, 4) >> 2; // pointers of live samples, oldest first
    var fields = Sample.bind(memory.heap);
    var head = 0;
    var count = 0;
    var time = 0;
    // One unit of the app's work: take a sample, dropping the oldest when the pool is full.
    function step()${type(": number")} {
      time++;
      var p = samples.create();
      if (p === 0) {
        samples.destroy(u32[ring + head]);
        head = (head + 1) % SAMPLE_SLOTS;
        count--;
        p = samples.create();
      }
      fields.set.time(p, time);
      fields.set.value(p, reading(time));
      u32[ring + ((head + count) % SAMPLE_SLOTS)] = p;
      count++;
      return count;
    }
    // At the console (and in the tests): APP.step(), APP.latest().
    global.APP = {
      step: step,
      latest: function () {
        return count === 0 ? null : fields.get.value(u32[ring + ((head + count - 1) % SAMPLE_SLOTS)]);
      },
    };
    setInterval(step, SAMPLE_MS);
  },
};

export default app;
`;
}

function testFile(board: string, runner: TestRunner): string {
  const imports = runner === "node"
    ? `import { test } from "node:test";\nimport assert from "node:assert/strict";`
    : `import { test, expect } from "vitest";`;
  const equal = runner === "node" ? (a: string, b: string) => `assert.deepEqual(${a}, ${b});` : (a: string, b: string) => `expect(${a}).toEqual(${b});`;
  const ok = runner === "node" ? (a: string) => `assert.ok(${a});` : (a: string) => `expect(${a}).toBeTruthy();`;
  return `// Boots the app's firmware (dist/${board}/app.js, made by \`npx bootheap build\`) on the emulated
// ${board}: the same bundle, the board's JsVars, its Storage. Run by \`npm test\`.
${imports}
import { emulate } from "bootheap/emulator";

const BOARD = "${board}";
const FIRMWARE = "dist/${board}/app.js";
/** What each region of the heap uses, as MEM (the console's heap object) reports it. */
const USED = "MEM.reports().map(function (r) { return r.name + ' ' + r.usedBytes; })";

test("the app boots on " + BOARD + " and its heap passes MEM.check()", async () => {
  const board = await emulate({ board: BOARD, firmware: FIRMWARE });
  try {
    ${ok(`/bootheap: app on ${board}/.test(board.output)`)}
    ${equal(`await board.eval("MEM.check()")`, "true")}
  } finally {
    await board.close();
  }
});

test("1,000 steps of the app's work leave the heap as they found it (no leak)", async () => {
  const board = await emulate({ board: BOARD, firmware: FIRMWARE });
  try {
    // Fill the ring first: from then on every step frees what it allocates.
    await board.eval("for (var i = 0; i < ${SAMPLE_SLOTS * 2}; i++) APP.step()");
    const before = await board.eval(USED);
    const jsVarsBefore = (await board.memory()).usage;
    await board.eval("for (var i = 0; i < 1000; i++) APP.step()");
    ${equal(`await board.eval(USED)`, "before")}
    ${equal(`(await board.memory()).usage`, "jsVarsBefore")}
    ${equal(`await board.eval("MEM.check()")`, "true")}
  } finally {
    await board.close();
  }
});
`;
}

function readme(board: string, ts: boolean, runner: TestRunner): string {
  const app = ts ? "app.ts" : "app.js";
  return `# A bootheap app for ${board}

\`${app}\` holds the memory plan (the regions carved from one buffer at boot) and \`start\`, which
runs once the heap is carved and sealed. After boot the app allocates only from its regions,
so it cannot run out of memory at a bad moment, and every byte is accounted for.

| command | what it does |
|---|---|
| \`npm run build\` | bundles \`${app}\` for ${board} into \`dist/${board}/app.js\`, checks it against Espruino's rules and prints whether it fits the board's JsVars and Storage |
| \`npm test\` | builds, then boots the firmware on the emulated ${board} (${runner === "node" ? "node --test" : "vitest"}, \`test/\`) |
| \`npm run emulate\` | the emulated board with its console here (\`MEM.stats()\`, \`MEM.map()\`, \`APP.latest()\`; Ctrl-C twice quits) |
| \`npm run flash -- --port PORT\` | uploads the firmware to a real board's flash (a serial device, a Bluetooth address, or \`tcp://host:port\`) |
| \`npx bootheap inspect --port PORT\` | reads the heap back from the board and draws it |

Change the board with \`--board\` or in \`package.json\` ("bootheap": { "board": ... }).

## Plain JavaScript, the Espruino way

\`modules/\` holds bootheap's on-device modules: \`require("bootheap")\` (the whole library) or one
allocator each (\`require("bootheap-pool")\`, \`require("bootheap-tlsf")\`,
\`require("bootheap-boot-heap")\` …), so a plain file works without a network:

\`\`\`js
var BootHeap = require("bootheap-boot-heap").BootHeap;
var MemoryPool = require("bootheap-pool").MemoryPool;
var heap = new BootHeap(4096);
var pool = new MemoryPool(heap, heap.carve(64 * 16, 8, "packets"), 64);
heap.seal();
print(pool.create());
\`\`\`

\`npx bootheap espruino -p PORT plain.js\` uploads it with its modules (the \`espruino\` tool that
comes with bootheap, pointed at \`modules/\`; with the tool on its own, add
\`--config MODULE_URL=modules\`: its local-modules lookup does not work from the command line).
In the Web IDE, upload \`modules/bootheap.js\` to the board's Storage as \`bootheap\` (Storage
icon → Upload a file): \`require("bootheap")\` then loads the whole library from flash. Uploaded to RAM, its
60 KB of text fit no board: require only the modules you use, as above.
`;
}

/** The on-device modules a project gets: modules/bootheap.js and one file per allocator. */
export function moduleFiles(): { [path: string]: string } {
  const files: { [path: string]: string } = {};
  const whole = packagePath("dist", "espruino", "bootheap.min.js");
  if (!existsSync(whole)) throw new Error(`bootheap's on-device modules are missing (${whole}): in the repository run npm run build; an installed package carries them`);
  files["modules/bootheap.js"] = readFileSync(whole, "utf8");
  for (const name of Object.keys(MODULE_SOURCES)) {
    files[`modules/bootheap-${name}.js`] = readFileSync(packagePath("dist", "espruino", "modules", name + ".min.js"), "utf8");
  }
  return files;
}

/** Every file init writes except package.json, by path relative to the project. */
export function scaffoldFiles(options: ScaffoldOptions): { [path: string]: string } {
  const files: { [path: string]: string } = {};
  files[options.ts ? "app.ts" : "app.js"] = appSource(options.ts);
  files["test/app.test.mjs"] = testFile(options.board, options.runner);
  files["README.md"] = readme(options.board, options.ts, options.runner);
  return Object.assign(files, moduleFiles());
}

/** package.json scripts init adds. */
export function scaffoldScripts(options: ScaffoldOptions): { [name: string]: string } {
  return {
    build: "bootheap build",
    test: "bootheap build && " + (options.runner === "node" ? "node --test" : "vitest run"),
    emulate: "bootheap emulate",
    flash: "bootheap flash",
  };
}
