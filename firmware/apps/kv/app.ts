// kv: a Redis-compatible (RESP2) key/value server whose memory is all allocated at boot.
// The limits (config.ts) decide every buffer; the build checks them against the board.
//
// Settings a host can give before the firmware runs (e.g. `bootheap emulate`, or a line typed
// at the board's console before boot): the global KV_CONFIG (fields over DEFAULT_CONFIG) and the
// global KV_PORT (default 6379).
import type { App, Memory, Target } from "../../../src/app.js";
import type { MemoryPlan } from "../../../plan/plan.js";
import { say, setGlobal } from "../../device.js";
import { Kv } from "./kv.js";
import { describeLimits, KvConfig, kvConfigFor, kvLayout, kvPlan } from "./config.js";
import { KvServer, NetModule } from "./server.js";

declare const KV_CONFIG: { [name: string]: unknown } | undefined;
declare const KV_PORT: number | undefined;
declare const require: ((name: string) => unknown) | undefined;

let chosen: KvConfig | null = null;

/**
 * The config for `target` (remembered, so start() uses the one plan() carved); with null, the
 * one plan() chose last (or the default when plan() never ran).
 */
export function kvConfig(target: Target | null): KvConfig {
  if (target !== null || chosen === null) {
    const over = typeof KV_CONFIG !== "undefined" ? KV_CONFIG : undefined;
    chosen = kvConfigFor(target === null ? 0 : target.heapBudgetBytes, over);
  }
  return chosen;
}

/** The port: the global KV_PORT, else the config's, else 6379. */
export function kvPort(config: KvConfig): number {
  if (typeof KV_PORT === "number" && KV_PORT > 0) return KV_PORT;
  return kvLayout(config).port;
}

declare const setTimeout: ((fn: () => void, ms: number) => unknown) | undefined;

/** Milliseconds between attempts to listen while the network is not up yet (WiFi still connecting). */
const LISTEN_RETRY_MS = 5000;

/** Starts kv over a carved heap and a `net` module; returns the server (tests stop it). */
export function startKv(memory: Memory, restored: boolean, config: KvConfig, net: NetModule, port: number): KvServer {
  const kv = new Kv(memory, config, restored);
  const server = new KvServer(kv);
  const attempt = function () {
    try {
      server.listen(net, port);
      say("kv: listening on port " + port + " (" + kv.store.count + " keys" + (kv.restored ? ", restored" : "") + ")");
    } catch (e) {
      if (typeof setTimeout !== "function") throw e;
      say("kv: cannot listen on port " + port + " yet (" + String((e as Error).message) + "); trying again in " + LISTEN_RETRY_MS / 1000 + " s");
      setTimeout(attempt, LISTEN_RETRY_MS);
    }
  };
  attempt();
  return server;
}

const app: App = {
  name: "kv",
  requires: ["net"],
  plan: function (target: Target): MemoryPlan {
    return kvPlan(kvConfig(target));
  },
  describeLimits: function (target: Target): string {
    return "kv " + describeLimits(kvConfig(target)) + " (firmware/apps/kv/config.ts; override with the global KV_CONFIG)";
  },
  start: function (memory: Memory, restored: boolean) {
    const config = kvConfig(null);
    if (typeof require !== "function") throw new Error("kv needs require(\"net\")");
    const net = require("net") as NetModule;
    const port = kvPort(config);
    setGlobal("KV", startKv(memory, restored, config, net, port));
  },
};
export default app;
