// The variables a closure keeps alive. V8 hides a function's scope chain from JavaScript; its
// inspector shows it (Runtime.getProperties → internalProperties [[Scopes]]). A session on this
// thread answers synchronously, so at a counting point the memory model can ask for the closure
// scopes of every function it reaches and get the actual values back (a scope entry, passed to a
// host function with Runtime.callFunctionOn, carries the variables as a plain object).
//
// Only context-allocated variables show: V8 keeps in a closure's scope the variables some inner
// function uses; the device keeps every local of the call. There is no identity for a scope
// either (each query materialises a fresh object), so two functions made by the same call are
// recognised by having the same variables holding the same values.
import inspector from "node:inspector";

export interface ClosureScope {
  /** "Closure (makeHandler)" */
  description: string;
  variables: Record<string, unknown>;
}

type Reply = Record<string, unknown> & { result?: unknown; internalProperties?: Array<{ name: string; value?: { objectId?: string } }> };

let session: inspector.Session | null = null;
let unavailable = false;
let sinkId = "";
let holderId = "";
const HOLDER_KEY = "__bootheapScopeQuery";
const received: unknown[] = [];
const GROUP = "bootheap-scopes";

function post(method: string, params?: object): Reply {
  let reply: Reply | undefined;
  let error: Error | null = null;
  session!.post(method, params ?? {}, (e, r) => {
    error = e;
    reply = r as Reply;
  });
  if (error) throw error;
  if (reply === undefined) throw new Error(`inspector ${method} did not answer synchronously`);
  return reply;
}

function connect(): void {
  if (session) return;
  session = new inspector.Session();
  session.connect();
  // A host function in this thread's main realm: scope objects are handed to it, and the
  // functions to look at are put in its `list` before each query.
  const holder = { sink: (scope: unknown) => received.push(scope), list: [] as unknown[] };
  (globalThis as Record<string, unknown>)[HOLDER_KEY] = holder;
  const found = post("Runtime.evaluate", { expression: `globalThis.${HOLDER_KEY}` }).result as { objectId: string };
  holderId = found.objectId;
  const props = post("Runtime.getProperties", { objectId: holderId, ownProperties: true }).result as Array<{ name: string; value: { objectId: string } }>;
  sinkId = props.find((p) => p.name === "sink")!.value.objectId;
}

/**
 * The closure scopes (innermost first) of each function in `fns`; an empty list for a function
 * that keeps none (declared at the top level, or using nothing from outside).
 */
export function closureScopesOf(fns: readonly object[]): ClosureScope[][] {
  if (fns.length === 0) return [];
  if (unavailable) return fns.map(() => []);
  try {
    connect();
  } catch {
    // A Node without the inspector (or one that refuses a session): closures are counted
    // without their scopes, rather than not at all.
    unavailable = true;
    return fns.map(() => []);
  }
  const holder = (globalThis as unknown as Record<string, { list: unknown[] }>)[HOLDER_KEY];
  holder.list = fns.slice();
  try {
    const listProp = post("Runtime.getProperties", { objectId: holderId, ownProperties: true }).result as Array<{ name: string; value: { objectId: string } }>;
    const listId = listProp.find((p) => p.name === "list")!.value.objectId;
    const entries = post("Runtime.getProperties", { objectId: listId, ownProperties: true, objectGroup: GROUP }).result as Array<{ name: string; value?: { objectId?: string } }>;
    const out: ClosureScope[][] = fns.map(() => []);
    for (const e of entries) {
      const index = Number(e.name);
      if (!Number.isInteger(index) || !e.value?.objectId) continue;
      const internal = post("Runtime.getProperties", { objectId: e.value.objectId, ownProperties: true, objectGroup: GROUP }).internalProperties ?? [];
      const scopes = internal.find((p) => p.name === "[[Scopes]]")?.value?.objectId;
      if (!scopes) continue;
      // One call hands every closure scope of the chain to the sink.
      received.length = 0;
      post("Runtime.callFunctionOn", {
        objectId: scopes,
        functionDeclaration: "function (sink) { for (var i = 0; i < this.length; i++) { var s = this[i]; if (s && /^Closure/.test(s.description)) sink(s); } }",
        arguments: [{ objectId: sinkId }],
        objectGroup: GROUP,
      });
      for (const s of received as Array<{ description: string; object: Record<string, unknown> }>) {
        out[index].push({ description: s.description, variables: s.object });
      }
      received.length = 0;
    }
    return out;
  } finally {
    holder.list = [];
    post("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
}
