// INFO [section ...]: Redis's sections that make sense for kv (server, clients, memory, stats,
// keyspace), and in `memory` the plan the limits gave and what each region uses now. Not on the
// request path of other commands: it builds its text from JS strings.
import { K_COMMANDS, K_CONNS, K_ERRORS, K_REJECTED, K_SAVES, kvMemoryReport } from "./config.js";
import type { Kv } from "./kv.js";

export function infoCommand(this: Kv, argc: number): void {
  const kv = this;
  const args = kv.args;
  const u32 = kv.u32;
  // Redis 7 takes any number of sections; none, "all", "everything" or "default" is every one,
  // an unknown one adds nothing. `asked` is the sections, lowercase, each between spaces.
  let asked = " ";
  for (let a = 1; a < argc; a++) {
    for (let i = 0; i < args.lengthOf(a); i++) asked += String.fromCharCode(kv.u8[args.offset(a) + i] | 0x20);
    asked += " ";
  }
  const all = argc < 2 || asked.indexOf(" all ") >= 0 || asked.indexOf(" everything ") >= 0 || asked.indexOf(" default ") >= 0;
  let text = "";
  if (all || asked.indexOf(" server ") >= 0) {
    text += "# Server\r\nredis_version:7.0.0-kv\r\nkv_engine:bootheap\r\nkv_restored:" + (kv.restored ? 1 : 0) + "\r\ntcp_port:" + kv.port + "\r\n\r\n";
  }
  if (all || asked.indexOf(" clients ") >= 0) {
    text += "# Clients\r\nconnected_clients:" + kv.clients() + "\r\nmaxclients:" + kv.config.connectionsMax + "\r\n\r\n";
  }
  if (all || asked.indexOf(" memory ") >= 0) {
    const memory = kv.memory;
    text += "# Memory\r\nheap_bytes:" + memory.heap.sizeBytes + "\r\n";
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
    text += "\r\n";
  }
  if (all || asked.indexOf(" stats ") >= 0) {
    const s = kv.state >> 2;
    text += "# Stats\r\ntotal_commands_processed:" + u32[s + (K_COMMANDS >> 2)] + "\r\ntotal_connections_received:" + u32[s + (K_CONNS >> 2)] +
      "\r\nrejected_connections:" + u32[s + (K_REJECTED >> 2)] + "\r\ntotal_error_replies:" + u32[s + (K_ERRORS >> 2)] +
      "\r\nsaves:" + u32[s + (K_SAVES >> 2)] + "\r\n\r\n";
  }
  if (all || asked.indexOf(" keyspace ") >= 0) {
    text += "# Keyspace\r\n" + (kv.store.count > 0 ? "db0:keys=" + kv.store.count + ",expires=0,avg_ttl=0\r\n" : "") + "\r\n";
  }
  const reply = kv.reply;
  reply.num(36, text.length);
  reply.ascii(text);
  reply.crlf();
}
