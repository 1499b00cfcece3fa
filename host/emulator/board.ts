// One emulated Espruino board: its console (bytes in, text out), its RAM (a node:vm context with
// the JsVar memory model), its flash (Storage, kept in a host file) and its boot sequence.
// Everything the program runs goes through runTask(), which prints uncaught errors as the
// device does, handles interrupts, performs deferred reset/load/save, and returns the prompt.
import vm from "node:vm";
import type { Board } from "../boards.js";
import { prepareCode, EspruinoSyntaxError } from "./syntax.js";
import { createBoardContext, type BoardContext } from "./context.js";
import { BoardInterrupt } from "./interrupt.js";
import { BoardMemory } from "./memory/board-memory.js";
import { FlashStore } from "./storage/flash-store.js";
import { BoardTimers } from "./timers.js";
import { NetBridge } from "./net-bridge.js";
import { LineInput } from "./console/line-input.js";
import { boardEnv, FIRMWARE_VERSION } from "./board-env.js";
import { detokenise, pretokenise, tokenFormsFor } from "../pretokenised.js";
import { banner, describeError } from "./console/messages.js";
import { storageHooks, netHooks, timerHooks, memoryHooks, textHooks, type Hooks } from "./system-hooks.js";

export interface EmulatedBoardOptions {
  board: Board;
  /** Flash image file; null keeps Storage in memory only. */
  flashPath: string | null;
  /** Everything the board sends to its console. */
  output: (text: string) => void;
  /** Shared interrupt flags ([0] != 0: stop the program); set by another thread on Ctrl-C. */
  flags?: Int32Array;
  /**
   * Whether function source text is charged to the JsVar budget (default true, as on the
   * device). Off for host-sized scripts, such as the unminified self-test, that no real board
   * could hold as code but whose allocations should still be modelled.
   */
  chargeCodeText?: boolean;
  /** JsVars the interpreter holds after boot (default 64, memory/jsvar-heap.ts BOOT_BLOCK_COUNT). */
  bootBlocks?: number;
}

/** Storage file holding the code log that save() stores (the emulator's "RAM image"). */
export const SAVED_STATE_FILE = ".varimg";
const BOOT_FILES = [".boot0", ".boot1", ".boot2", ".boot3"];

type Pending = { kind: "reset"; eraseFlash: boolean } | { kind: "load"; file: string } | { kind: "reboot" } | { kind: "save" } | null;

export interface TaskResult {
  ok: boolean;
  value?: unknown;
}

/** What an expression evaluated for a host tool gave: its value as JSON made on the board, or the board's error. */
export type HostEvalResult = { ok: true; json: string | undefined } | { ok: false; message: string; errorType: string };

export class EmulatedBoard {
  readonly profile: Board;
  readonly storage: FlashStore;
  readonly flags: Int32Array;
  private readonly output: (text: string) => void;
  private readonly lineInput: LineInput;
  private ctx!: BoardContext;
  memory!: BoardMemory;
  private timers!: BoardTimers;
  private net!: NetBridge;
  private errorFlags = new Set<string>();
  /** Console lines run since the last reset: what save() keeps. */
  private codeLog: string[] = [];
  /** Handlers emit() queued, not yet run; dropped with the RAM. */
  private events: Array<() => void> = [];
  private pending: Pending = null;
  private busy = false;
  private muted = false;
  private replaying = false;
  /**
   * The device's `inputLineRemoved`: the prompt and typed input are off the line. Output takes
   * them off first; they come back at the end of a pass of the device's main loop (after a
   * chunk of console input, after a timer's task), as `jsiConsoleReturnInputLine` does.
   */
  private inputLineRemoved = true;
  private echoEnabled = true;
  /** A line sent with 0x10 is running: echo is off for it, so the prompt is neither removed nor redrawn on screen. */
  private lineEchoOff = false;
  private disposed = false;
  private ctrlCStoppedProgram = false;
  private readonly chargeCodeText: boolean;
  private readonly bootBlocks: number | undefined;

  constructor(options: EmulatedBoardOptions) {
    this.profile = options.board;
    this.output = options.output;
    this.flags = options.flags ?? new Int32Array(new SharedArrayBuffer(4));
    this.chargeCodeText = options.chargeCodeText ?? true;
    this.bootBlocks = options.bootBlocks;
    this.storage = new FlashStore(this.profile.name, this.profile.storageBytes, options.flashPath);
    this.lineInput = new LineInput({
      // Typed input is echoed only while the input line is on screen; after output took it off,
      // it appears when the line is redrawn.
      echo: (t) => {
        if (this.showInputLine()) this.emit(t);
      },
      line: (code, echo, firstLine) => this.consoleLine(code, echo && this.echoEnabled, firstLine, !echo),
      cleared: (dropped) => {
        Atomics.store(this.flags, 0, 0);
        // This Ctrl-C already stopped a running program; on the device it does one or the other.
        if (this.ctrlCStoppedProgram) {
          this.ctrlCStoppedProgram = false;
          return;
        }
        // The device takes a non-empty line off the screen; an empty one leaves it as it is.
        if (dropped.length) this.removeInputLine(dropped);
      },
      // Printed without taking the prompt off the line, as the device does.
      enquiry: () => this.emit(`Espruino ${FIRMWARE_VERSION} ${this.profile.name}\r\n`),
      overflow: (chars) => {
        this.write(`ERROR: input line too long (${chars} chars) for the free JsVars; line dropped\r\n`);
      },
      maxLineChars: () => Math.max(256, this.memory.heap.freeBlocks * (this.profile.blockBytes - 3)),
    });
  }

  /** Power on (again): fresh RAM and console, saved state and boot code from flash, init handlers, prompt. */
  powerOn(): void {
    this.lineInput.reset();
    this.freshRam();
    this.write(banner(this.profile));
    this.bootFromFlash({ savedState: true, bootCode: true, file: "" });
    this.returnInputLine();
  }

  /** A chunk of console input, handled as one pass of the device's loop: the prompt comes back after all of it. */
  input(bytes: Uint8Array | string): void {
    if (this.disposed) return;
    this.lineInput.feed(bytes);
    this.returnInputLine();
  }

  /**
   * Writes `code` to the Storage file `name` and loads it as `load(name)` does: fresh RAM, the
   * .boot files, the file, init handlers. Unlike code typed or uploaded to RAM, code run from
   * Storage keeps its text in flash, as on the device; this is how a big bundle fits a small
   * board (and what `bootheap flash` does, with .bootcde).
   */
  loadFromStorage(code: string, name = ".bootcde"): void {
    this.storeCode(name, code);
    this.freshRam();
    this.bootFromFlash({ savedState: false, bootCode: name === ".bootcde", file: name === ".bootcde" ? "" : name });
    this.returnInputLine();
  }

  /**
   * Flashes `code` as the board's program before power-on: it replaces .bootcde and the saved
   * RAM image (.varimg), so the program stored earlier does not run first. Other Storage files
   * (data, .boot0-.boot3) stay, as when a tool flashes a new app to a device.
   */
  installBootCode(code: string): void {
    this.storage.erase(SAVED_STATE_FILE);
    this.storeCode(".bootcde", code);
  }

  /**
   * Code as `bootheap flash` leaves it in Storage: pretokenised by the espruino tool for this
   * firmware version, the rest as UTF-8 bytes, one char per byte. Code that does not tokenise
   * (a syntax error) is stored as text, and the error shows when it runs, as it would on the device.
   */
  private storeCode(name: string, code: string): void {
    this.storage.erase(name);
    let bytes: string;
    try {
      bytes = pretokenise(code, tokenFormsFor(FIRMWARE_VERSION), "utf8");
    } catch {
      bytes = Buffer.from(code, "utf8").toString("latin1");
    }
    this.storage.write(name, bytes, 0, bytes.length);
  }

  /**
   * Runs `code` for a host tool (the library's eval): nothing is printed, neither echo nor
   * `=value` nor the error. The value is turned into JSON by the board's own JSON.stringify, so
   * the host gets plain data as the program would see it (undefined stays undefined). An
   * interrupt (Ctrl-C, out of memory) is still reported on the console, as the device does.
   */
  evaluateForHost(code: string): HostEvalResult {
    const r = this.runTask((): HostEvalResult => {
      try {
        const json = (this.global.JSON as JSON).stringify(this.runCode(code, "eval", 1, "host")) as string | undefined;
        return { ok: true, json };
      } catch (e) {
        if (e instanceof BoardInterrupt) throw e;
        return this.hostError(e);
      }
    });
    if (!r.ok) return { ok: false, message: "Execution Interrupted", errorType: "InternalError" };
    const result = r.value as HostEvalResult;
    if (result.ok) this.codeLog.push(code);
    return result;
  }

  private hostError(e: unknown): HostEvalResult {
    if (e instanceof EspruinoSyntaxError) return { ok: false, message: e.message, errorType: "SyntaxError" };
    const err = e as { message?: unknown; stack?: unknown; constructor?: { name?: string } } | null;
    if (typeof err === "object" && err !== null && typeof err.message === "string" && typeof err.stack === "string") {
      const ctor = err.constructor?.name;
      return { ok: false, message: err.message, errorType: ctor && ctor !== "Object" ? ctor : "Error" };
    }
    // A thrown value that is not an error: a string as it is, others as the console prints them.
    return { ok: false, message: typeof e === "string" ? e : this.format(e), errorType: "Error" };
  }

  /** Runs code as a console line without echo; for tests and tools. */
  evaluate(code: string): TaskResult {
    const r = this.runTask(() => this.runCode(code, "console"));
    if (r.ok) this.codeLog.push(code);
    return r;
  }

  /** The device's text for a value; a value whose getters throw still gets a text. */
  format(value: unknown): string {
    try {
      return this.ctx.format(value);
    } catch (e) {
      return `<unprintable: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }

  /**
   * A rejected promise nobody handled, or an interrupt that hit a promise callback: reported
   * as the device reports an uncaught error, instead of taking the host process down.
   */
  reportUnhandledRejection(reason: unknown): void {
    if (this.disposed) return;
    // The device turns the reason into an Error "Unhandled promise rejection: <reason as a string>".
    if (reason instanceof BoardInterrupt) this.reportUncaught(reason);
    else this.reportUncaught(this.ctx.makeError(`Unhandled promise rejection: ${this.asString(reason)}`));
    this.returnInputLine();
  }

  /** A value as the device's string conversion gives it (an error as "Type: message"). */
  private asString(v: unknown): string {
    if (typeof v === "string") return v;
    if (typeof v === "object" && v !== null && typeof (v as Error).message === "string" && typeof (v as Error).stack === "string") return describeError(v, (x) => this.format(x)).replace(/ at line \d+ col \d+.*$/, "");
    return this.format(v);
  }

  /** The program's global object (tests look at it). */
  get global(): Record<string, unknown> {
    return vm.runInContext("this", this.ctx.context) as Record<string, unknown>;
  }

  get errorFlagList(): string[] {
    // In the device's bit order (jsutils.h JSERR_*).
    const order = ["RX_FIFO_FULL", "BUFFER_FULL", "CALLBACK", "LOW_MEMORY", "MEMORY", "MEMORY_BUSY", "UART_OVERFLOW"];
    return [...this.errorFlags].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  dispose(): void {
    this.disposed = true;
    this.timers?.clearAll();
    this.net?.closeAll();
  }

  // --- console ---

  /** `jsiHandleNewLine`: `silent` for a line that began with 0x10. */
  private consoleLine(code: string, echo: boolean, firstLine: number, silent: boolean): void {
    this.ctrlCStoppedProgram = false;
    this.lineEchoOff = silent;
    if (this.showInputLine()) this.emit("\r\n");
    if (!silent) this.inputLineRemoved = true;
    try {
      if (code.trim() === "") return;
      const r = this.runTask(() => this.runCode(code, "console", firstLine), false);
      if (r.ok) {
        this.codeLog.push(code);
        if (echo) this.write(`=${this.format(r.value)}\r\n`);
      }
    } finally {
      this.lineEchoOff = false;
    }
  }

  /** Program output; takes the prompt and typed input off the line first, as the device does. */
  private write(text: string): void {
    this.removeInputLine(this.lineInput.pending);
    this.emit(text);
  }

  private echoOn(): boolean {
    return this.echoEnabled && !this.lineEchoOff && this.lineInput.echoing;
  }

  private showInputLine(): boolean {
    return this.echoOn() && !this.inputLineRemoved;
  }

  /**
   * `jsiConsoleRemoveInputLine`: the cursor goes back from the end of `typed` to its start (left
   * along its last line, then up its lines), then to the start of the line past the prompt, and
   * everything to the right and below is erased. With echo off nothing is sent.
   */
  private removeInputLine(typed: string): void {
    if (this.inputLineRemoved) return;
    this.inputLineRemoved = true;
    if (!this.echoOn()) return;
    const lines = typed.split("\n");
    this.emit("\x1b[D".repeat(lines[lines.length - 1].length) + "\x1b[A".repeat(lines.length - 1) + "\r\x1b[J");
  }

  private emit(text: string): void {
    if (!this.muted && !this.disposed) this.output(text);
  }

  /** `jsiConsoleReturnInputLine`: the prompt and the typed input, back on screen. */
  private returnInputLine(): void {
    if (!this.inputLineRemoved || this.busy) return;
    this.inputLineRemoved = false;
    if (this.echoOn()) this.emit(">" + this.lineInput.pending.replace(/\n/g, "\r\n:"));
  }

  // --- running code ---

  /**
   * `text`: where the code's function text is kept. "ram" (typed or uploaded) costs JsVars until
   * the next reset; "flash" (run from a Storage file) keeps it in flash, 2 blocks per function;
   * "host" (an expression a host tool evaluates) is not charged, because such functions are used
   * and dropped at once (MEM.reports().map(function…)) and charging them until the next reset
   * would show as a JsVar leak between two measurements.
   */
  private runCode(source: string, filename: string, firstLine = 1, text: "ram" | "flash" | "host" = "ram"): unknown {
    // Code the espruino tool flashed pretokenised (`bootheap flash`) reads as its text does.
    const prepared = prepareCode(detokenise(source), firstLine);
    if (text === "flash") this.memory.chargeFlashCode(prepared.retainedFunctionCount, prepared.code);
    else if (text === "ram" && this.chargeCodeText) this.memory.chargeCode(prepared.retainedSourceChars);
    const script = new vm.Script(prepared.code, { filename, lineOffset: firstLine - 1 });
    // Code typed or uploaded to RAM is held as text while it runs, as the device holds the line.
    const value = this.memory.whileRunning(text === "ram" && this.chargeCodeText ? source.length : 0, () => script.runInContext(this.ctx.context));
    if (prepared.deferredError) throw prepared.deferredError;
    return value;
  }

  /** Runs program code; prints what escapes it; then deferred actions and the prompt. */
  runTask(fn: () => unknown, prompt = true): TaskResult {
    if (this.disposed) return { ok: false };
    if (this.busy) return { ok: true, value: fn() };
    this.busy = true;
    let result: TaskResult;
    try {
      result = { ok: true, value: fn() };
      // Now and then the memory model counts at the end of a task, within it: values a timer or
      // event handler keeps adding run out of memory in the task that adds them, as on the device.
      this.memory.taskCheckpoint();
    } catch (e) {
      this.reportUncaught(e);
      result = { ok: false };
    } finally {
      this.busy = false;
      // A Ctrl-C that arrived while nothing polled the flag must not stop the next task.
      Atomics.store(this.flags, 0, 0);
    }
    this.afterTask();
    if (prompt) this.returnInputLine();
    return result;
  }

  private reportUncaught(e: unknown): void {
    if (e instanceof BoardInterrupt) {
      this.ctrlCStoppedProgram = e.reason === "ctrl-c";
      this.write(e.inEvent ? "Execution Interrupted during event processing.\r\n" : "Execution Interrupted\r\n");
      if (e.reason === "memory") this.write(`New interpreter error: ${this.errorFlagList.join(",")}\r\n`);
      return;
    }
    if (this.handledByProcess(e)) return;
    if (e instanceof EspruinoSyntaxError) {
      this.write(`Uncaught SyntaxError: ${e.message}\r\n`);
      return;
    }
    this.write(`Uncaught ${describeError(e, (v) => this.format(v))}\r\n`);
  }

  /** `process.on('uncaughtException', fn)` handlers get the error instead of the console, as on the device. */
  private handledByProcess(e: unknown): boolean {
    const process = this.global.process as object;
    const error = e instanceof EspruinoSyntaxError ? this.ctx.makeError(e.message) : e;
    try {
      return this.ctx.emitNow(process, "uncaughtException", error);
    } catch (inner) {
      if (inner instanceof BoardInterrupt) throw inner;
      this.write(`Uncaught ${describeError(inner, (v) => this.format(v))}\r\n`);
      return true;
    }
  }

  private afterTask(): void {
    const p = this.pending;
    this.pending = null;
    if (p?.kind === "reset") {
      if (p.eraseFlash) this.storage.eraseAll();
      this.freshRam();
      this.write(banner(this.profile));
      this.bootFromFlash({ savedState: false, bootCode: false, file: "" });
    } else if (p?.kind === "load" || p?.kind === "reboot") {
      this.freshRam();
      if (p.kind === "reboot") this.write(banner(this.profile));
      this.bootFromFlash({ savedState: p.kind === "reboot" || p.file === "", bootCode: true, file: p.kind === "load" ? p.file : "" });
    } else if (p?.kind === "save") {
      this.save();
    }
    // Idle with little free memory: the device garbage-collects.
    if (this.memory.heap.freeBlocks < this.memory.heap.blockCount / 8) this.memory.heap.runCollect(false);
  }

  // --- RAM and boot ---

  private freshRam(): void {
    this.timers?.clearAll();
    this.net?.closeAll();
    this.codeLog = [];
    this.echoEnabled = true;
    this.memory = new BoardMemory(this.profile.jsVars, this.profile.blockBytes, (blocks) => this.outOfMemory(blocks), this.bootBlocks);
    this.events = [];
    // The device handles queued events before timers in each pass of its loop.
    this.timers = new BoardTimers((fn, id, repeat) => {
      this.runEvents();
      this.runTask(() => this.timerCallback(fn, id, repeat));
    });
    this.net = new NetBridge((fn) => this.runTask(fn));
    this.ctx = createBoardContext(
      {
        flags: this.flags,
        loopCounter: this.memory.loopCounter,
        tick: () => {
          if (Atomics.exchange(this.flags, 0, 0) !== 0) throw new BoardInterrupt("ctrl-c");
          if (this.memory.loopCounter[0] <= 0) this.memory.loopCheckpoint();
        },
        chargeBuffer: (b, n) => this.memory.chargeBuffer(b, n),
        chargeView: (v) => this.memory.chargeView(v),
        queueEvent: (fn) => this.queueEvent(fn),
      },
      this.systemHooks(),
      (context) => this.memory.attach(context),
    );
    this.memory.startCounting(this.ctx.context, { listenersOf: (o) => this.ctx.listenersOf(o), timers: () => this.timers.callbacks() });
  }

  /** A timer's callback: an interrupt (Ctrl-C, out of memory) removes an interval, as jsiIdle does. */
  private timerCallback(fn: () => void, id: number, repeat: boolean): void {
    try {
      fn();
      this.memory.taskCheckpoint();
    } catch (e) {
      if (e instanceof BoardInterrupt) {
        e.inEvent = true;
        if (repeat) {
          this.timers.clear(id);
          this.errorFlags.add("CALLBACK");
          this.write("ERROR: Ctrl-C while processing interval - removing it.\r\n");
        }
      }
      throw e;
    }
  }

  /** An event emit() queued: it runs as a task of its own, soon, and before any timer that is due. */
  private queueEvent(fn: () => void): void {
    this.events.push(fn);
    if (this.events.length === 1) setImmediate(() => this.runEvents());
  }

  private runEvents(): void {
    const events = this.events;
    this.events = [];
    for (const fn of events) this.runTask(fn);
  }

  private outOfMemory(blocksWanted: number): never {
    this.errorFlags.add("LOW_MEMORY");
    this.errorFlags.add("MEMORY");
    this.write(`OUT OF MEMORY (wanted ${blocksWanted} blocks, ${this.memory.heap.freeBlocks} free, largest free run ${this.memory.heap.map.largestFreeRun()})\r\n`);
    throw new BoardInterrupt("memory");
  }

  private bootFromFlash(what: { savedState: boolean; bootCode: boolean; file: string }): void {
    if (what.savedState) this.replaySavedState();
    for (const name of BOOT_FILES) this.runStorageFile(name);
    if (what.file) this.runStorageFile(what.file);
    else if (what.bootCode) this.runStorageFile(".bootcde");
    const g = this.global as { E: object; onInit?: unknown };
    this.runTask(() => this.ctx.emitNow(g.E, "init"), false);
    if (typeof g.onInit === "function") this.runTask(() => (g.onInit as () => void)(), false);
  }

  private runStorageFile(name: string): void {
    const text = this.storage.read(name);
    if (text !== undefined) this.runTask(() => this.runCode(text, name, 1, "flash"), false);
  }

  /** save(): the device writes its RAM image; the emulator keeps the code that built it. */
  private save(): void {
    this.write("Compacting Flash...\r\nCalculating Size...\r\n");
    this.storage.erase(SAVED_STATE_FILE);
    this.storage.compact();
    this.storage.write(SAVED_STATE_FILE, Buffer.from(JSON.stringify(this.codeLog), "utf8").toString("latin1"), 0, 0);
    this.write(`Writing ${this.codeLog.length} code lines...\r\nDone!\r\n`);
  }

  private replaySavedState(): void {
    const image = this.storage.read(SAVED_STATE_FILE);
    if (image === undefined) return;
    let lines: string[];
    try {
      lines = JSON.parse(Buffer.from(image, "latin1").toString("utf8")) as string[];
    } catch {
      this.write(`ERROR: ${SAVED_STATE_FILE} in Storage is corrupt; not loaded\r\n`);
      return;
    }
    // Replaying rebuilds the RAM state; what it printed then was already printed.
    this.muted = true;
    this.replaying = true;
    try {
      for (const line of lines) if (this.runTask(() => this.runCode(line, "saved"), false).ok) this.codeLog.push(line);
    } finally {
      this.muted = false;
      this.replaying = false;
    }
  }

  private defer(p: Exclude<Pending, null>): void {
    if (!this.replaying) this.pending = p;
  }

  // --- the hooks behind the device's globals (prelude/*.js) ---

  private systemHooks(): Hooks {
    return {
      ...storageHooks(this.storage),
      ...netHooks(this.net),
      ...timerHooks(this.timers),
      ...memoryHooks(this.memory),
      ...textHooks,
      write: (text: string) => this.write(text),
      run: (code: string, filename: string) => this.runCode(code, filename),
      compileModule: (code: string, name: string, inFlash: boolean) => this.runCode(`(function (exports, module) {${code}\n;return exports;})`, `module:${name}`, 1, inFlash ? "flash" : "ram"),
      hasModule: (name: string) => (name === "net" ? this.profile.features.includes("net") : name === "Storage" || name === "heatshrink"),
      envJSON: () => JSON.stringify(boardEnv(this.profile)),
      errorFlags: () => {
        const list = this.errorFlagList.join(",");
        this.errorFlags.clear();
        return list;
      },
      reset: (eraseFlash: boolean) => this.defer({ kind: "reset", eraseFlash }),
      load: (file: string) => this.defer({ kind: "load", file }),
      reboot: () => this.defer({ kind: "reboot" }),
      save: () => this.defer({ kind: "save" }),
      echo: (on: boolean) => {
        this.echoEnabled = on;
      },
    };
  }
}
