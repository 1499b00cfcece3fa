// INFO [section ...]: Redis's sections that make sense for kv (server, clients, memory, stats,
// keyspace), and in `memory` the plan the limits gave and what each region uses now. Not on the
// request path of other commands: it builds its text from JS strings.
import { K_COMMANDS, K_CONNS, K_ERRORS, K_REJECTED, K_SAVES, kvMemoryReport } from "./config.js";
import type { Kv } from "./kv.js";

function serverSection(kv: Kv): string {
  return "# Server\r\nredis_version:7.0.0-kv\r\nkv_engine:bootheap\r\nkv_restored:" + (kv.restored ? 1 : 0) + "\r\ntcp_port:" + kv.port + "\r\n\r\n";
}

function clientsSection(kv: Kv): string {
  return "# Clients\r\nconnected_clients:" + kv.clients() + "\r\nmaxclients:" + kv.config.connectionsMax + "\r\n\r\n";
}

function memorySection(kv: Kv): string {
  const memory = kv.memory;
  let text = "# Memory\r\nheap_bytes:" + memory.heap.sizeBytes + "\r\n";
  const names = Object.keys(memory.allocators);
  let used = 0;
  for (let i = 0; i < names.length; i++) {
    const st = memory.allocators[names[i]].stats();
    used += st.usedBytes;
    text += "region_" + names[i] + ":used=" + st.usedBytes + ",capacity=" + st.capacityBytes + ",peak=" + st.peakBytes + "\r\n";
  }
  text += "used_memory:" + used + "\r\n";
  const lines = kvMemoryReport(kv.config);
  for (let i = 0; i < lines.length; i++) text += "plan_" + i + ":" + lines[i] + "\r\n";
  return text + "\r\n";
}

function statsSection(kv: Kv): string {
  const s = kv.state >> 2;
  const u32 = kv.u32;
  return "# Stats\r\ntotal_commands_processed:" + u32[s + (K_COMMANDS >> 2)] + "\r\ntotal_connections_received:" + u32[s + (K_CONNS >> 2)] +
    "\r\nrejected_connections:" + u32[s + (K_REJECTED >> 2)] + "\r\ntotal_error_replies:" + u32[s + (K_ERRORS >> 2)] +
    "\r\nsaves:" + u32[s + (K_SAVES >> 2)] + "\r\n\r\n";
}

function keyspaceSection(kv: Kv): string {
  return "# Keyspace\r\n" + (kv.store.count > 0 ? "db0:keys=" + kv.store.count + ",expires=0,avg_ttl=0\r\n" : "") + "\r\n";
}

export function infoCommand(kv: Kv, argc: number): void {
  const args = kv.args;
  // Redis 7 takes any number of sections; none, "all", "everything" or "default" is every one,
  // an unknown one adds nothing.
  let asked = " ";
  for (let a = 1; a < argc; a++) {
    for (let i = 0; i < args.length(a); i++) asked += String.fromCharCode(kv.u8[args.offset(a) + i] | 0x20);
    asked += " ";
  }
  const all = argc < 2 || asked.indexOf(" all ") >= 0 || asked.indexOf(" everything ") >= 0 || asked.indexOf(" default ") >= 0;
  const want = function (section: string): boolean {
    return all || asked.indexOf(" " + section + " ") >= 0;
  };
  let text = "";
  if (want("server")) text += serverSection(kv);
  if (want("clients")) text += clientsSection(kv);
  if (want("memory")) text += memorySection(kv);
  if (want("stats")) text += statsSection(kv);
  if (want("keyspace")) text += keyspaceSection(kv);
  const reply = kv.reply;
  reply.num(36, text.length);
  reply.ascii(text);
  reply.crlf();
}
