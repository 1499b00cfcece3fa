// The text of a function as the program wrote it. V8's Function.prototype.toString returns the
// code the emulator ran, with syntax.ts's hooks in it; the console shows functions as the
// device does, with their own source, so the hooks are taken out again here.
import { parse, type Node } from "acorn";
import { LOOP_TICK, HOOK_CATCH, HOOK_STORE, HOOK_DELETE, ADDED_BRACE_MARK, CATCH_BINDING, LOOP_LET_OPEN, LOOP_LET_KEYWORD, LOOP_LET_CLOSE } from "./syntax.js";

type AnyNode = Node & Record<string, unknown>;

const TICK = LOOP_TICK;
const CATCH = new RegExp(`${HOOK_CATCH}\\([A-Za-z_$][\\w$]*\\);`, "g");
const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** `{let i,j;/*__bhO*\/` before a loop whose `let` the emulator moved out (syntax.ts). */
const LOOP_LET_BLOCK = new RegExp(`\\{let [\\w$,]+;${escape(LOOP_LET_OPEN)}`, "g");

function isDeleteHook(n: AnyNode): boolean {
  return n.type === "CallExpression" && (n.callee as AnyNode).type === "Identifier" && (n.callee as AnyNode).name === HOOK_DELETE && (n.arguments as AnyNode[]).length === 3;
}

function isStoreHook(n: AnyNode): boolean {
  return n.type === "CallExpression" && (n.callee as AnyNode).type === "Identifier" && (n.callee as AnyNode).name === HOOK_STORE && (n.arguments as AnyNode[]).length === 3;
}

/** `src` with every `__bhW(o, k, v)` turned back into `o[k] = v` and `__bhD(o, k, c)` into `delete o.k` / `delete o[k]`, inner ones first. */
function restoreStores(src: string, root: AnyNode): string {
  const render = (node: AnyNode, start: number, end: number): string => {
    let out = "";
    let at = start;
    const visit = (n: AnyNode): void => {
      if (isStoreHook(n)) {
        const [o, k, v] = n.arguments as AnyNode[];
        out += src.slice(at, n.start) + `${render(o, o.start, o.end)}[${render(k, k.start, k.end)}] = ${render(v, v.start, v.end)}`;
        at = n.end;
        return;
      }
      if (isDeleteHook(n)) {
        const [o, k, computed] = n.arguments as AnyNode[];
        const member = computed.value === 1 ? `[${render(k, k.start, k.end)}]` : `.${k.value as string}`;
        out += src.slice(at, n.start) + `delete ${render(o, o.start, o.end)}${member}`;
        at = n.end;
        return;
      }
      for (const key of Object.keys(n)) {
        const c = n[key];
        const list = Array.isArray(c) ? c : [c];
        for (const x of list) if (x && typeof x === "object" && typeof (x as AnyNode).type === "string" && (x as AnyNode).start >= at) visit(x as AnyNode);
      }
    };
    visit(node);
    return out + src.slice(at, end);
  };
  return render(root, 0, src.length);
}

export function originalFunctionText(text: string): string {
  const withoutTicks = text
    .split("{" + ADDED_BRACE_MARK + TICK).join("")
    .split(ADDED_BRACE_MARK + "}").join("")
    .split(TICK).join("")
    .replace(CATCH, "")
    .split(`(${CATCH_BINDING}){`).join("{")
    .replace(LOOP_LET_BLOCK, "")
    .split(LOOP_LET_KEYWORD).join("let")
    .split(LOOP_LET_CLOSE + "}").join("");
  if (!withoutTicks.includes(HOOK_STORE) && !withoutTicks.includes(HOOK_DELETE)) return withoutTicks;
  try {
    const wrapped = `(${withoutTicks})`;
    const root = parse(wrapped, { ecmaVersion: "latest" }) as unknown as AnyNode;
    return restoreStores(wrapped, root).slice(1, -1);
  } catch {
    return withoutTicks;
  }
}
