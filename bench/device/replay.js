// The alloc/free replay of issue 13, run on Espruino (real or emulated) as a module. bench/device.ts
// either requires it (and the allocators) from Storage, as flashed code runs, or copies the modules
// an operation runs into RAM first (see there). ES5 only: the interpreter reads this text, so the
// comments stay outside the functions (a function's text is what a copy in RAM keeps).
var N = 3000;
var LIVE = 48;

// One fixed sequence everywhere, from a Park-Miller generator: seed * 16807 stays below 2^46, so
// every engine computes it exactly. Op i allocates Z[i] bytes (8-127) into live slot K[i], or,
// when Z[i] >= 128, frees the block of Z[i] - 128 bytes held in slot K[i] (random live slot).
function ops() {
  var Z = new Uint8Array(N), K = new Uint8Array(N), held = new Uint8Array(LIVE);
  var live = 0, seed = 42, sum = 0, i, k, r;
  function rand(n) {
    seed = (seed * 16807) % 2147483647;
    return seed % n;
  }
  for (i = 0; i < N; i++) {
    if (live < LIVE && (live === 0 || rand(2))) {
      for (k = 0; held[k]; k++);
      held[k] = 8 + rand(120);
      Z[i] = held[k];
      live++;
    } else {
      r = rand(live);
      for (k = 0; !held[k] || r-- > 0; k++);
      Z[i] = 128 + held[k];
      held[k] = 0;
      live--;
    }
    K[i] = k;
    sum = (sum * 31 + Z[i] * 64 + k) % 65521;
  }
  return { Z: Z, K: K, sum: sum };
}

// The allocator replayed by `kind`, on a heap just big enough for its region (the JsVars a board
// has are few): "pool" 48 slots of 128 bytes, "tlsf" a 12 KB TLSF heap, "fixed" a 4 KB fixed
// buffer, "arena" an arena over a 12 KB fixed buffer. Bump allocators cannot free in any order:
// in their loop the dropped reference is the free, and a full buffer is the end of a batch, reset
// for the next one. The boot-heap module is only needed here, so it leaves the module cache after.
function allocator(kind) {
  var size = kind === "pool" ? LIVE * 128 : kind === "fixed" ? 4096 : 12288;
  var heap = new (require("boot-heap").BootHeap)(size + 512), region = heap.carve(size, 8, kind), a;
  if (kind === "pool") a = new (require("pool").MemoryPool)(heap, region, 128);
  if (kind === "tlsf") a = new (require("tlsf").TlsfAllocator)(heap, region);
  if (kind === "fixed" || kind === "arena") a = new (require("fixed-buffer").FixedBufferAllocator)(heap, region);
  if (kind === "arena") a = new (require("arena").ArenaAllocator)(a);
  heap.seal();
  Modules.removeCached("boot-heap");
  return a;
}

// Runs the replay `reps` times (default 9) against `kind` (the allocator reset and every slot
// dropped between times), timing it in chunks of CHUNK operations, and prints "REPLAY kind seconds
// checksum" with the sum over the chunks of each chunk's fastest time. A shared machine adds noise,
// never speed, and a short chunk often runs without being interrupted where a whole replay never
// does; every time runs the same operations on the same allocator state, so the chunks' fastest
// times add up to a whole replay. Each kind has its own loop, written out, so that no call or test
// not in the allocator itself is timed; "empty" is the same loop without allocation, subtracted by
// the host (it pays the chunks' getTime() calls too); "call" calls two empty methods instead of an
// allocator's alloc and free: the least any allocator written in JavaScript can cost.
var CHUNK = 25;
exports.run = function (kind, reps) {
  var o = ops(), Z = o.Z, K = o.K, h = [], T = new Float64Array(N / CHUNK), i, s, p, a, t, c, e, rep;
  if (kind === "call") a = { alloc: function (n) { return n; }, free: function (p, n) {}, reset: function () {} };
  else if (kind !== "empty" && kind !== "native") a = allocator(kind);
  if (reps === undefined) reps = 9;
  T.fill(1e9);
  for (rep = 0; rep < reps; rep++) {
    if (a) a.reset();
    for (i = 0; i < LIVE; i++) h[i] = 0;
    for (c = 0; c < N; c += CHUNK) {
      e = c + CHUNK;
      t = getTime();
      if (kind === "empty") {
        for (i = c; i < e; i++) { s = Z[i]; if (s < 128) h[K[i]] = s; else h[K[i]] = 0; }
      } else if (kind === "native") {
        for (i = c; i < e; i++) { s = Z[i]; if (s < 128) h[K[i]] = new Uint8Array(s); else h[K[i]] = 0; }
      } else if (kind === "pool" || kind === "tlsf" || kind === "call") {
        for (i = c; i < e; i++) { s = Z[i]; if (s < 128) h[K[i]] = a.alloc(s); else a.free(h[K[i]], s - 128); }
      } else {
        for (i = c; i < e; i++) {
          s = Z[i];
          if (s < 128) { p = a.alloc(s); if (!p) { a.reset(); p = a.alloc(s); } h[K[i]] = p; } else h[K[i]] = 0;
        }
      }
      t = getTime() - t;
      if (t < T[c / CHUNK]) T[c / CHUNK] = t;
    }
  }
  for (t = 0, i = 0; i < T.length; i++) t += T[i];
  print("REPLAY " + kind + " " + t + " " + o.sum);
};
