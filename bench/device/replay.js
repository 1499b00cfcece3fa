// The alloc/free replay of issue 13, run on Espruino (real or emulated) as a module from Storage,
// the way flashed code runs (its text stays in flash). ES5 only: the interpreter reads this text.
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

// Runs the replay once against `kind` and prints "REPLAY kind seconds checksum". Each kind has its
// own loop, written out, so that no call or test not in the allocator itself is timed; "empty" is
// the same loop without allocation, subtracted by the host.
exports.run = function (kind) {
  var o = ops(), Z = o.Z, K = o.K, h = [], i, s, p, a, t;
  if (kind !== "empty" && kind !== "native") {
    var BootHeap = require("boot-heap").BootHeap;
    var heap = new BootHeap(16384);
    if (kind === "pool") a = new (require("pool").MemoryPool)(heap, heap.carve(LIVE * 128, 8, "pool"), 128);
    // Bump allocators cannot free in any order: the dropped reference is the free, and a full
    // buffer is the end of a batch, reset for the next one.
    if (kind === "fixed") a = new (require("fixed-buffer").FixedBufferAllocator)(heap, heap.carve(4096, 8, "fixed"));
    if (kind === "tlsf" || kind === "arena") a = new (require("tlsf").TlsfAllocator)(heap, heap.carve(12288, 8, "tlsf"));
    if (kind === "arena") a = new (require("arena").ArenaAllocator)(a);
    heap.seal();
  }
  t = getTime();
  if (kind === "empty") {
    for (i = 0; i < N; i++) { s = Z[i]; if (s < 128) h[K[i]] = s; else h[K[i]] = 0; }
  } else if (kind === "native") {
    for (i = 0; i < N; i++) { s = Z[i]; if (s < 128) h[K[i]] = new Uint8Array(s); else h[K[i]] = 0; }
  } else if (kind === "pool" || kind === "tlsf") {
    for (i = 0; i < N; i++) { s = Z[i]; if (s < 128) h[K[i]] = a.alloc(s); else a.free(h[K[i]], s - 128); }
  } else {
    for (i = 0; i < N; i++) {
      s = Z[i];
      if (s < 128) { p = a.alloc(s); if (!p) { a.reset(); p = a.alloc(s); } h[K[i]] = p; } else h[K[i]] = 0;
    }
  }
  t = getTime() - t;
  print("REPLAY " + kind + " " + t + " " + o.sum);
};
