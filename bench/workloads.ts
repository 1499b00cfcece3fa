// The benchmark's workloads and contestants, engine-neutral: this file runs as TypeScript on
// Node (bench/run.ts) and, transpiled to ES5 by the TypeScript API, under Duktape. It uses no
// Node API and no built-in Duktape lacks.
//
// Each (workload, contestant) pair becomes ONE function compiled from source text with the
// contestant's own calls written in (`A.alloc(n)`, `A.malloc(n)`, `new Uint8Array(n)`...), so
// every contestant runs the same loop with a direct, monomorphic call: no adapter in between.
// The random decisions are made before timing, into an Int32Array stream that every contestant
// replays: a positive entry allocates that many bytes, a negative one frees live entry -v-1.

/** What a benchmark run needs from its engine. */
export interface Env {
  engine: string;
  /** The bootheap bundle's exports. */
  L: unknown;
  /** @thi.ng/malloc's MemPool constructor. */
  M: unknown;
  /** Milliseconds, as precise as the engine gives. */
  clock: () => number;
  /** Multiplies every operation count except where `fixed` is said. */
  scale: number;
  /** Timed runs per pair; the fastest is reported (the least disturbed by anything else on the machine). */
  repeats: number;
  /** One untimed run first (for a JIT). */
  warmup: boolean;
  /** Workload (d)'s operation count (1,000,000 on Node). */
  churnOps: number;
  log: (line: string) => void;
}

export interface Result {
  engine: string;
  workload: string;
  contestant: string;
  ops: number;
  ms: number;
  opsPerSec: number;
  fails: number;
  /** Workload (d): bytes free, the largest allocation still possible, 1 - largest / free. */
  freeBytes: number;
  largest: number;
  fragmentation: number;
}

export interface Contestant {
  name: string;
  /** ES5 statements making `A` (and `U`, a byte view for touching memory) over R bytes. */
  setup: string;
  alloc: string;
  failed: string;
  nullp: string;
  touch: string;
  free: string;
  /** Statement freeing everything at once, or "" to free each allocation. */
  resetAll: string;
  liveNew: string;
  /** Expression: bytes the allocator counts as in use (payload + metadata), or "" when unknown. */
  used: string;
  /** Expression: bytes free now, for workload (d). */
  free_bytes: string;
}

function numeric(name: string, setup: string, alloc: string, free: string, resetAll: string, used: string, freeBytes: string): Contestant {
  return { name: name, setup: setup, alloc: alloc, failed: "p === 0", nullp: "0", touch: "U[p] = i & 255;", free: free, resetAll: resetAll, liveNew: "new Int32Array(MAX)", used: used, free_bytes: freeBytes };
}

const HEAP = "var H = new L.BootHeap(R + 4096); var U = H.u8; ";

export function tlsf(resetAll?: boolean): Contestant {
  return numeric(resetAll ? "TlsfAllocator (reset)" : "TlsfAllocator", HEAP + "var A = new L.TlsfAllocator(H, H.carve(R, 8, 'gp'));", "A.alloc(n)", "A.free(p, n);", resetAll ? "A.reset();" : "", "A.stats().usedBytes", "(A.stats().capacityBytes - A.stats().usedBytes)");
}

export function pool(slot: number): Contestant {
  return numeric("MemoryPool(" + slot + ")", HEAP + "var A = new L.MemoryPool(H, H.carve(R, 8, 'pool'), " + slot + ");", "A.create()", "A.destroy(p);", "A.reset();", "A.stats().usedBytes", "0");
}

export function fixed(): Contestant {
  return numeric("FixedBufferAllocator", HEAP + "var A = new L.FixedBufferAllocator(H, H.carve(R, 8, 'fixed'));", "A.alloc(n)", "A.free(p, n);", "A.reset();", "A.stats().usedBytes", "0");
}

export function arena(): Contestant {
  return numeric("ArenaAllocator(FixedBuffer)", HEAP + "var A = new L.ArenaAllocator(new L.FixedBufferAllocator(H, H.carve(R, 8, 'fixed')));", "A.alloc(n)", "A.free(p, n);", "A.reset('retain_capacity');", "A.stats().usedBytes", "0");
}

export function thing(): Contestant {
  // 64 bytes more than R for its 28-byte state, aligned: the same space for blocks.
  return numeric("@thi.ng/malloc MemPool", "var A = new M({ size: R + 64 }); var U = A.u8;", "A.malloc(n)", "A.free(p);", "A.freeAll();", "A.stats().used.size", "A.stats().available");
}

export function engine(): Contestant {
  return { name: "new Uint8Array(n)", setup: "", alloc: "new Uint8Array(n)", failed: "false", nullp: "null", touch: "p[0] = i & 255;", free: "", resetAll: "", liveNew: "new Array(MAX)", used: "", free_bytes: "0" };
}

// ---- op streams (made before timing) ---------------------------------------------------

/** xorshift32: the same numbers on every engine. */
export function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return function () {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/**
 * Alloc/free stream with at most `maxLive` live: allocate (size from `size`) with probability
 * `pAlloc` while below the cap, else free a live entry picked at random (swap-remove).
 */
export function churnStream(ops: number, maxLive: number, pAlloc: number, size: (r: () => number) => number, seed: number): Int32Array {
  const r = random(seed);
  const s = new Int32Array(ops);
  let live = 0;
  for (let i = 0; i < ops; i++) {
    if (live === 0 || (live < maxLive && r() < pAlloc)) {
      s[i] = size(r);
      live++;
    } else {
      s[i] = -1 - Math.floor(r() * live);
      live--;
    }
  }
  return s;
}

export function sizeA(r: () => number): number {
  return 8 + Math.floor(r() * 249);
}

export function sizeB(): number {
  return 64;
}

export function sizeC(r: () => number): number {
  return 16 + Math.floor(r() * 497);
}

/** Workload (d): mostly small, a quarter large (129..2048). */
export function sizeD(r: () => number): number {
  return r() < 0.75 ? 8 + Math.floor(r() * 121) : 129 + Math.floor(r() * 1920);
}

// ---- the specialised functions ---------------------------------------------------------

function fill(template: string, c: Contestant): string {
  return template
    .replace(/SETUP/g, c.setup)
    .replace(/LIVE_NEW/g, c.liveNew)
    .replace(/ALLOC/g, c.alloc)
    .replace(/FAILED/g, c.failed)
    .replace(/NULLP/g, c.nullp)
    .replace(/TOUCH/g, c.touch)
    .replace(/FREE_ONE/g, c.free)
    .replace(/FREE_BYTES/g, c.free_bytes);
}

// Replays a churn stream; frees what is left at the end (untimed).
const CHURN = [
  "SETUP",
  "var live = LIVE_NEW, lens = new Int32Array(MAX), count = 0, fails = 0, i, v, k, n, p;",
  "var t0 = C();",
  "for (i = 0; i < S.length; i++) {",
  "  v = S[i];",
  "  if (v > 0) {",
  "    n = v; p = ALLOC;",
  "    if (FAILED) { fails++; p = NULLP; } else { TOUCH }",
  "    live[count] = p; lens[count] = n; count++;",
  "  } else {",
  "    k = -1 - v; p = live[k]; n = lens[k];",
  "    if (p !== NULLP) { FREE_ONE }",
  "    count--; live[k] = live[count]; lens[k] = lens[count]; live[count] = NULLP;",
  "  }",
  "}",
  "var t1 = C();",
  "var out = { ms: t1 - t0, fails: fails, freeBytes: 0, largest: 0 };",
  "if (PROBE) {",
  "  out.freeBytes = FREE_BYTES;",
  // The largest allocation still possible: binary search with alloc/free (both allocators'
  // success is monotone in the size).
  "  var lo = 0, hi = R;",
  "  while (lo < hi) { n = (lo + hi + 1) >> 1; p = ALLOC; if (FAILED) { hi = n - 1; } else { FREE_ONE lo = n; } }",
  "  out.largest = lo;",
  "}",
  "return out;",
].join("\n");

// Requests of 20 allocations, then everything freed at once (or one by one).
const REQUESTS = [
  "SETUP",
  "var live = LIVE_NEW, lens = new Int32Array(MAX), fails = 0, i, j, n, p;",
  "var t0 = C();",
  "for (i = 0; i < S.length; i += 20) {",
  "  for (j = 0; j < 20; j++) {",
  "    n = S[i + j]; p = ALLOC;",
  "    if (FAILED) { fails++; p = NULLP; } else { TOUCH }",
  "    live[j] = p; lens[j] = n;",
  "  }",
  "  RESET",
  "}",
  "var t1 = C();",
  "return { ms: t1 - t0, fails: fails, freeBytes: 0, largest: 0 };",
].join("\n");

// Bytes in use per allocation beyond the payload, after `S.length` allocations.
const METADATA = [
  "SETUP",
  "var sum = 0, i, n, p, fails = 0;",
  "for (i = 0; i < S.length; i++) { n = S[i]; p = ALLOC; if (FAILED) fails++; sum += n; }",
  "return { perAllocation: (USED - sum) / S.length, fails: fails };",
].join("\n");

type Compiled = (L: unknown, M: unknown, S: Int32Array, C: () => number, R: number, MAX: number, PROBE: boolean) => { ms: number; fails: number; freeBytes: number; largest: number };

function compile(body: string): Compiled {
  return new Function("L", "M", "S", "C", "R", "MAX", "PROBE", body) as Compiled;
}

export function churnSource(c: Contestant): string {
  return fill(CHURN, c);
}

export function requestSource(c: Contestant): string {
  let reset = c.resetAll;
  if (reset === "") reset = c.free === "" ? "" : "for (j = 19; j >= 0; j--) { p = live[j]; n = lens[j]; if (p !== NULLP) { FREE_ONE } }";
  return fill(REQUESTS.replace("RESET", reset), c);
}

function fastest(values: number[]): number {
  let best = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] < best) best = values[i];
  return best;
}

interface Plan {
  workload: string;
  contestants: Contestant[];
  source: (c: Contestant) => string;
  stream: Int32Array;
  warm: Int32Array;
  /** Operations the stream stands for (requests count their allocations). */
  ops: number;
  regionBytes: number;
  maxLive: number;
  probe: boolean;
}

export function plans(env: Env): Plan[] {
  const opsAB = Math.round(2000000 * env.scale);
  const requests = Math.round(100000 * env.scale);
  const req = churnStreamSizes(requests * 20, sizeC, 3);
  return [
    {
      workload: "a", contestants: [tlsf(), pool(256), thing(), engine()], source: churnSource,
      stream: churnStream(opsAB, 512, 0.5, sizeA, 1), warm: churnStream(Math.min(opsAB, 200000), 512, 0.5, sizeA, 101),
      ops: opsAB, regionBytes: 262144, maxLive: 512, probe: false,
    },
    {
      workload: "b", contestants: [tlsf(), pool(64), thing(), engine()], source: churnSource,
      stream: churnStream(opsAB, 512, 0.5, sizeB, 2), warm: churnStream(Math.min(opsAB, 200000), 512, 0.5, sizeB, 102),
      ops: opsAB, regionBytes: 65536, maxLive: 512, probe: false,
    },
    {
      workload: "c", contestants: [tlsf(), tlsf(true), pool(512), fixed(), arena(), thing(), engine()], source: requestSource,
      stream: req, warm: churnStreamSizes(Math.min(requests, 10000) * 20, sizeC, 103),
      ops: requests * 20, regionBytes: 65536, maxLive: 20, probe: false,
    },
    {
      workload: "d", contestants: [tlsf(), thing(), engine()], source: churnSource,
      stream: churnStream(env.churnOps, 120, 0.55, sizeD, 4), warm: churnStream(Math.min(env.churnOps, 100000), 120, 0.55, sizeD, 104),
      ops: env.churnOps, regionBytes: 65536, maxLive: 120, probe: true,
    },
  ];
}

function churnStreamSizes(count: number, size: (r: () => number) => number, seed: number): Int32Array {
  const r = random(seed);
  const s = new Int32Array(count);
  for (let i = 0; i < count; i++) s[i] = size(r);
  return s;
}

/** Runs every workload with every contestant that fits it. */
export function runAll(env: Env, only?: string): Result[] {
  const results: Result[] = [];
  const list = plans(env);
  for (let w = 0; w < list.length; w++) {
    const plan = list[w];
    if (only !== undefined && only.indexOf(plan.workload) < 0) continue;
    for (let c = 0; c < plan.contestants.length; c++) {
      const contestant = plan.contestants[c];
      const fn = compile(plan.source(contestant));
      if (env.warmup) fn(env.L, env.M, plan.warm, env.clock, plan.regionBytes, plan.maxLive, false);
      const times: number[] = [];
      let last = { ms: 0, fails: 0, freeBytes: 0, largest: 0 };
      for (let r = 0; r < env.repeats; r++) {
        last = fn(env.L, env.M, plan.stream, env.clock, plan.regionBytes, plan.maxLive, plan.probe && contestant.free !== "");
        times.push(last.ms);
      }
      const ms = fastest(times);
      const result: Result = {
        engine: env.engine, workload: plan.workload, contestant: contestant.name, ops: plan.ops, ms: ms,
        opsPerSec: ms > 0 ? plan.ops / (ms / 1000) : 0, fails: last.fails, freeBytes: last.freeBytes, largest: last.largest,
        fragmentation: last.freeBytes > 0 ? 1 - last.largest / last.freeBytes : 0,
      };
      env.log(env.engine + " (" + plan.workload + ") " + contestant.name + ": " + Math.round(result.opsPerSec) + " ops/s, " + Math.round(ms) + " ms, fails " + last.fails);
      results.push(result);
    }
  }
  return results;
}

export interface MetadataResult {
  contestant: string;
  perAllocation: number;
}

/** Bytes each contestant counts as used beyond the payload, per allocation, for 512 sizes of workload (a). */
export function metadata(env: Env): MetadataResult[] {
  const sizes = churnStreamSizes(512, sizeA, 7);
  const list = [tlsf(), pool(256), fixed(), thing()];
  const out: MetadataResult[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    const fn = new Function("L", "M", "S", "R", fill(METADATA.replace("USED", c.used), c)) as (L: unknown, M: unknown, S: Int32Array, R: number) => { perAllocation: number };
    out.push({ contestant: c.name, perAllocation: fn(env.L, env.M, sizes, 262144).perAllocation });
  }
  return out;
}

export interface SeedResult {
  seed: number;
  contestant: string;
  fails: number;
  freeBytes: number;
  largest: number;
}

/** Workload (d) again with other random streams: failed allocations and the final state per seed. */
export function churnSeeds(env: Env, seeds: number[]): SeedResult[] {
  const out: SeedResult[] = [];
  const list = [tlsf(), thing()];
  for (let c = 0; c < list.length; c++) {
    const fn = compile(churnSource(list[c]));
    for (let i = 0; i < seeds.length; i++) {
      const r = fn(env.L, env.M, churnStream(env.churnOps, 120, 0.55, sizeD, seeds[i]), env.clock, 65536, 120, true);
      out.push({ seed: seeds[i], contestant: list[c].name, fails: r.fails, freeBytes: r.freeBytes, largest: r.largest });
    }
  }
  return out;
}
