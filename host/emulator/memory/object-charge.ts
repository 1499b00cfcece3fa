// What the program's own objects, arrays, strings, numbers and closures would cost on the device,
// counted by walking everything the program can reach from its global scope (the interpreter's
// built-ins, snapshotted after boot, excluded) and pricing each value by the device's layout
// rules (layout.ts): one block per object or array, one per property name or array index
// (more for long names), none for a small integer or undefined held by a name, one for any other
// number, boolean or null, a string by its length, and for a function: its block, one per
// parameter, its code (a name and the text, or a reference to flash) and, for a closure, the
// scope it keeps (one block plus its variables). Buffers and views are priced by the block map
// (jsvar-heap.ts), not here; their property names are.
import { DeviceLayout } from "./layout.js";
import { closureScopesOf, type ClosureScope } from "./closure-scopes.js";
import { originalFunctionText } from "../function-text.js";

/** Function texts whose blocks are remembered (closures made in a loop share one text). */
const TEXT_CACHE_MAX = 4096;
/** A timeout in the device's timer list (measured: setInterval costs 7 JsVars besides its callback). */
const TIMER_BLOCKS = 5;
const INTERVAL_BLOCKS = 2;

interface FunctionInfo {
  /** One of the emulator's own functions handed to the program (a native function on the device). */
  native: boolean;
  params: number;
  /** Its text lives in a Storage file (code run from flash). */
  inFlash: boolean;
  /** Blocks of its code text when it lives in RAM. */
  textBlocks: number;
  /** No closure scope in V8 (declared at top level or using nothing from outside): never changes. */
  noClosure: boolean;
}

export interface ObjectChargeOptions {
  /** The program's global object. */
  global: object;
  /** The function a top-level declaration's proxy currently runs (builtins.js `__bhU`). */
  latestCode: (fn: unknown) => unknown;
  /** Whether `text` (a function's source) is part of code run from a Storage file. */
  isFlashText: (text: string) => boolean;
  /** Whether `text` is the emulator's own (a prelude's): such a function is a built-in to the program. */
  isEmulatorText: (text: string) => boolean;
  /** `on()` handlers of an object, per event: the device keeps each list as a `#on<event>` property. */
  listenersOf?: (obj: object) => Array<[string, unknown[]]> | undefined;
  /** Timers now set; each callback is the emulator's wrapper around the program's function. */
  timers?: () => Array<{ fn: () => void; repeat: boolean }>;
}

export class ObjectCharge {
  readonly layout: DeviceLayout;
  private readonly builtins = new WeakSet<object>();
  /** Global names present after boot, with the value each had. */
  private readonly bootGlobals = new Map<string, unknown>();
  private readonly functions = new WeakMap<object, FunctionInfo>();
  /** Per function text (closures made in a loop share one): where it lives and its blocks. */
  private readonly texts = new Map<string, { native: boolean; inFlash: boolean; textBlocks: number }>();
  private readonly objectIds = new WeakMap<object, number>();
  private nextObjectId = 1;
  private snapshotTaken = false;
  private boardObjectPrototype: object | null = null;
  private boardFunctionPrototype: object | null = null;

  constructor(jsVars: number, blockBytes: number, private readonly options: ObjectChargeOptions) {
    this.layout = new DeviceLayout(jsVars, blockBytes);
  }

  /** Marks everything reachable now (the interpreter's built-ins) as free of charge. */
  snapshotBuiltins(): void {
    const g = this.options.global as { Object: { prototype: object }; Function: { prototype: object } };
    this.boardObjectPrototype = g.Object.prototype;
    this.boardFunctionPrototype = g.Function.prototype;
    const stack: unknown[] = [g];
    for (const name of Object.getOwnPropertyNames(g)) {
      const d = Object.getOwnPropertyDescriptor(g, name);
      this.bootGlobals.set(name, d && "value" in d ? d.value : d);
    }
    while (stack.length) {
      const v = stack.pop();
      if ((typeof v !== "object" && typeof v !== "function") || v === null || this.builtins.has(v)) continue;
      this.builtins.add(v);
      stack.push(Object.getPrototypeOf(v));
      for (const key of Reflect.ownKeys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, key);
        if (!d) continue;
        if ("value" in d) stack.push(d.value);
        else stack.push(d.get, d.set);
      }
    }
    this.snapshotTaken = true;
  }

  get ready(): boolean {
    return this.snapshotTaken;
  }

  /** Blocks the program's values reachable from the global scope would take on the device. */
  countReachable(): number {
    if (!this.snapshotTaken) return 0;
    const g = this.options.global as Record<string, unknown>;
    const walk = new Walk(this);
    let blocks = 0;
    for (const name of Object.getOwnPropertyNames(g)) {
      const d = Object.getOwnPropertyDescriptor(g, name);
      if (!d || !("value" in d)) continue;
      if (this.bootGlobals.has(name) && this.bootGlobals.get(name) === d.value) continue;
      if (name.startsWith("__bh")) continue;
      blocks += this.layout.nameBlocks(name.length) + walk.valueBlocks(d.value);
    }
    // Each timer: an entry in the device's timer list (the timer object, its index, time and
    // callback names, the time as a float; an interval's too), and what its callback keeps.
    const timers = this.options.timers?.() ?? [];
    for (const t of timers) blocks += TIMER_BLOCKS + (t.repeat ? INTERVAL_BLOCKS : 0);
    blocks += walk.scopeValuesOf(timers.map((t) => t.fn));
    return blocks + walk.finish();
  }

  /** E.getSizeOf(value) by the same rules (buffers and views are priced by the caller). */
  sizeOf(value: unknown, bufferBlocks: (v: object) => number | undefined): number {
    const walk = new Walk(this, bufferBlocks);
    if (value !== null && typeof value !== "object" && typeof value !== "function") return value === undefined ? 0 : walk.valueBlocks(value) || 1;
    return walk.valueBlocks(value) + walk.finish();
  }

  /** Built-in, or not of the board's realm at all (a host object behind a hook). */
  isBuiltin(v: object): boolean {
    if (this.builtins.has(v)) return true;
    let p: object | null = v;
    for (let i = 0; i < 8 && p !== null; i++) {
      const next = Object.getPrototypeOf(p) as object | null;
      if (next === this.boardObjectPrototype || next === this.boardFunctionPrototype) return false;
      if (next === null) return p !== this.boardObjectPrototype;
      p = next;
    }
    return false;
  }

  idOf(v: object): number {
    let id = this.objectIds.get(v);
    if (id === undefined) {
      id = this.nextObjectId++;
      this.objectIds.set(v, id);
    }
    return id;
  }

  functionInfo(fn: object): FunctionInfo {
    let info = this.functions.get(fn);
    if (info) return info;
    const code = this.options.latestCode(fn) as (...a: unknown[]) => unknown;
    let raw = "";
    try {
      raw = Function.prototype.toString.call(code);
    } catch {
      raw = "";
    }
    let text = this.texts.get(raw);
    if (!text) {
      const body = codeBody(originalFunctionText(raw));
      text = { native: raw === "" || this.options.isEmulatorText(raw), inFlash: raw !== "" && this.options.isFlashText(raw), textBlocks: body.length === 0 ? 0 : 1 + this.layout.codeBlocks(body.length) };
      if (this.texts.size > TEXT_CACHE_MAX) this.texts.clear();
      this.texts.set(raw, text);
    }
    info = { native: text.native, params: (fn as () => void).length, inFlash: text.inFlash, textBlocks: text.textBlocks, noClosure: code !== fn };
    this.functions.set(fn, info);
    return info;
  }

  markNoClosure(fn: object): void {
    const info = this.functions.get(fn);
    if (info) info.noClosure = true;
  }

  get listenersOf(): ((obj: object) => Array<[string, unknown[]]> | undefined) | undefined {
    return this.options.listenersOf;
  }
}

/**
 * A function's code as the device keeps it: the text of its body from the first token to the
 * last, verbatim; for a body that is only `return x;`, the text of `x;` (the function is flagged
 * as returning it); for an arrow without braces, its expression.
 */
function codeBody(text: string): string {
  const arrow = /^(?:\([^)]*\)|[\w$]+)\s*=>\s*/.exec(text);
  if (arrow && !text.slice(arrow[0].length).startsWith("{")) return text.slice(arrow[0].length).trim();
  const open = text.indexOf("{");
  const close = text.lastIndexOf("}");
  const body = open >= 0 && close > open ? text.slice(open + 1, close).trim() : "";
  const only = /^return\b\s*([^;]*;?)$/.exec(body);
  return only ? only[1] : body;
}

/** A function's properties as the device has them: its own enumerable ones, and `prototype` when the program put methods there. */
function functionKeys(fn: object): string[] {
  const keys = Object.keys(fn);
  const d = Object.getOwnPropertyDescriptor(fn, "prototype");
  const proto = d && "value" in d ? (d.value as object | null) : null;
  if (proto && typeof proto === "object" && Object.getOwnPropertyNames(proto).some((n) => n !== "constructor")) keys.push("prototype");
  return keys;
}

/** One count: a visited set, closures gathered and asked about in one inspector pass at the end. */
class Walk {
  private readonly seen = new Set<object>();
  private readonly scopes = new Set<string>();
  private pendingFunctions: object[] = [];
  private readonly stack: unknown[] = [];

  constructor(
    private readonly charge: ObjectCharge,
    private readonly bufferBlocks?: (v: object) => number | undefined,
  ) {}

  /** Blocks of a value held by a name: 0 for an inline one; objects are walked once. */
  valueBlocks(v: unknown): number {
    const layout = this.charge.layout;
    if (layout.isInline(v)) return 0;
    switch (typeof v) {
      case "string":
        return layout.stringBlocks(v.length);
      case "number":
      case "boolean":
      case "bigint":
      case "symbol":
        return 1;
      case "undefined":
        return 0;
      default:
        if (v === null) return 1;
        return this.objectBlocks(v as object);
    }
  }

  private objectBlocks(root: object): number {
    this.stack.push(root);
    return this.drain();
  }

  /** One object's own blocks; the objects it refers to go on the stack. */
  private ownBlocks(o: object): number {
    const layout = this.charge.layout;
    const tag = Object.prototype.toString.call(o);
    if (tag === "[object ArrayBuffer]" || ArrayBuffer.isView(o)) {
      // Priced by the block map: counted there, not here (E.getSizeOf asks for it).
      if (!this.bufferBlocks) return 0;
      const own = this.bufferBlocks(o) ?? 0;
      if (ArrayBuffer.isView(o)) this.stack.push(o.buffer);
      return own;
    }
    let blocks = 1;
    if (typeof o === "function") blocks += this.functionBlocks(o);
    const isArray = Array.isArray(o);
    let keys: string[];
    try {
      // On the device every property is a name in the object: class methods and `constructor`
      // too, which V8 makes non-enumerable. Not an array's length, nor a function's own name,
      // length or (unless the program gave it methods) prototype.
      keys = isArray ? Object.keys(o) : typeof o === "function" ? functionKeys(o) : Object.getOwnPropertyNames(o);
    } catch {
      return blocks;
    }
    for (const key of keys) {
      let v: unknown;
      try {
        const d = Object.getOwnPropertyDescriptor(o, key);
        if (!d || !("value" in d)) {
          blocks += layout.nameBlocks(key.length) + 1; // a getter/setter pair
          continue;
        }
        v = d.value;
      } catch {
        continue;
      }
      blocks += isArray && /^\d+$/.test(key) ? 1 : layout.nameBlocks(key.length);
      blocks += this.held(v);
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    // An instance of the program's own class: the device keeps a __proto__ name pointing at it.
    if (proto !== null && !this.charge.isBuiltin(proto)) {
      blocks += 1;
      this.stack.push(proto);
    }
    const lists = this.charge.listenersOf?.(o);
    if (lists) for (const [event, list] of lists) blocks += layout.nameBlocks(3 + event.length) + this.held(list);
    return blocks;
  }

  /** A value under a name: inline, priced now, or pushed to be walked. */
  private held(v: unknown): number {
    if ((typeof v === "object" && v !== null) || typeof v === "function") {
      this.stack.push(v);
      return 0;
    }
    return this.valueBlocks(v);
  }

  /**
   * A function's blocks besides its own: one per parameter; a function declared by code the
   * board loaded (top level) has its code charged with the load (the text for code uploaded
   * to RAM, the function and its flash reference for code run from Storage), so only its code's
   * name is added here (from flash: its own block was charged already). Closures are priced in
   * finish(), once the inspector has shown their scopes.
   */
  private functionBlocks(fn: object): number {
    const info = this.charge.functionInfo(fn);
    if (info.native) return 0;
    if (!info.noClosure) {
      this.pendingFunctions.push(fn);
      return info.params;
    }
    return info.params + this.plainCodeBlocks(info);
  }

  /**
   * The code of a function that keeps no closure: from flash, its block and reference were
   * charged when the code was loaded (-1 for the block counted here); from RAM, its code's name
   * (the text was charged with the upload), or the whole text for E.getSizeOf, which the device
   * counts with the function.
   */
  private plainCodeBlocks(info: FunctionInfo): number {
    if (info.inFlash) return this.bufferBlocks ? 2 : -1;
    if (info.textBlocks === 0) return 0;
    return this.bufferBlocks ? info.textBlocks : 1;
  }

  /** Closures found so far: their code and scopes, asked of the inspector in batches. */
  finish(): number {
    let blocks = 0;
    while (this.pendingFunctions.length) {
      const fns = this.pendingFunctions;
      this.pendingFunctions = [];
      const chains = closureScopesOf(fns);
      for (let i = 0; i < fns.length; i++) {
        const info = this.charge.functionInfo(fns[i]);
        const chain = chains[i];
        if (chain.length === 0) {
          this.charge.markNoClosure(fns[i]);
          // Never a closure after all: price it as the other plain functions.
          blocks += this.plainCodeBlocks(info);
          continue;
        }
        // A function made at run time: its own copy of its code (a name and the text, or a name
        // and a reference to flash), and the scope.
        blocks += info.inFlash ? 2 : info.textBlocks;
        blocks += 1; // the scope's name
        // Two scopes deep or more, the function keeps a copy of the scope chain: an array with
        // an index per scope (a method two scopes deep costs 3 more on the real interpreter).
        if (chain.length >= 2) blocks += 1 + chain.length;
        for (const scope of chain) blocks += this.scopeBlocks(scope);
      }
      blocks += this.drain();
    }
    return blocks;
  }

  /**
   * The values the innermost closure of each of `fns` (the emulator's wrappers, such as a timer's
   * `function () { fn.apply(undefined, args); }`) keeps, walked as the program's; the scopes
   * further out are the emulator's own.
   */
  scopeValuesOf(fns: object[]): number {
    let blocks = 0;
    for (const chain of closureScopesOf(fns)) {
      const inner = chain[0];
      if (inner) for (const n of Object.keys(inner.variables)) blocks += this.held(inner.variables[n]);
    }
    return blocks + this.drain();
  }

  private scopeBlocks(scope: ClosureScope): number {
    const names = Object.keys(scope.variables);
    const key =
      scope.description +
      "|" +
      names
        .map((n) => {
          const v = scope.variables[n];
          return n + "=" + ((typeof v === "object" && v !== null) || typeof v === "function" ? "#" + this.charge.idOf(v) : typeof v + ":" + String(v));
        })
        .join(",");
    if (this.scopes.has(key)) return 0;
    this.scopes.add(key);
    let blocks = 1;
    for (const n of names) blocks += this.charge.layout.nameBlocks(n.length) + this.held(scope.variables[n]);
    return blocks;
  }

  private drain(): number {
    let blocks = 0;
    while (this.stack.length) {
      const o = this.stack.pop() as object;
      if (this.seen.has(o) || this.charge.isBuiltin(o)) continue;
      this.seen.add(o);
      blocks += this.ownBlocks(o);
    }
    return blocks;
  }
}
