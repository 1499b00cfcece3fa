// Runs inside the board's vm context after environment.js: require("heatshrink"), the device's
// built-in compressor (libs/compression: heatshrink with an 8-bit window and 6-bit lookahead, no
// index). A bit stream, most significant bit first: 1 + 8 bits is a literal byte; 0 + 8 bits
// (offset - 1) + 6 bits (length - 1) copies from the bytes already output. The value of this
// file is one function expression, called with the host's hooks and what environment.js shares.
(function (sys, env) {
  "use strict";
  var WINDOW_BITS = 8;
  var LOOKAHEAD_BITS = 6;
  var WINDOW = 1 << WINDOW_BITS;
  var MAX_MATCH = 1 << LOOKAHEAD_BITS;
  /** A back-reference costs 1 + 8 + 6 bits: shorter matches are written as literals. */
  var BREAK_EVEN = (1 + WINDOW_BITS + LOOKAHEAD_BITS) >> 3;

  function bytesOf(data) {
    return env.E.toUint8Array(data);
  }

  function BitWriter() {
    this.out = [];
    this.acc = 0;
    this.n = 0;
  }
  BitWriter.prototype.put = function (value, bits) {
    for (var i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) {
        this.out.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  };
  BitWriter.prototype.bytes = function () {
    if (this.n) this.out.push(this.acc << (8 - this.n));
    return new Uint8Array(this.out).buffer;
  };

  // The longest match before `at` (the nearest of equal ones), as heatshrink's search finds it.
  function longestMatch(src, at) {
    var maxLen = Math.min(MAX_MATCH, src.length - at);
    var best = 0;
    var bestPos = -1;
    for (var pos = at - 1; pos >= 0 && pos >= at - WINDOW; pos--) {
      var len = 0;
      while (len < maxLen && src[pos + len] === src[at + len]) len++;
      if (len > best) {
        best = len;
        bestPos = pos;
        if (len === maxLen) break;
      }
    }
    return { length: best, offset: at - bestPos };
  }

  function compress(data) {
    var src = bytesOf(data);
    var w = new BitWriter();
    for (var at = 0; at < src.length; ) {
      var m = longestMatch(src, at);
      if (m.length > BREAK_EVEN) {
        w.put(0, 1);
        w.put(m.offset - 1, WINDOW_BITS);
        w.put(m.length - 1, LOOKAHEAD_BITS);
        at += m.length;
      } else {
        w.put(1, 1);
        w.put(src[at], 8);
        at++;
      }
    }
    return w.bytes();
  }

  function decompress(data) {
    var src = bytesOf(data);
    var total = src.length * 8;
    var bit = 0;
    function get(bits) {
      var v = 0;
      for (var i = 0; i < bits; i++, bit++) v = (v << 1) | ((src[bit >> 3] >> (7 - (bit & 7))) & 1);
      return v;
    }
    var out = [];
    while (bit < total) {
      if (get(1)) {
        if (bit + 8 > total) break;
        out.push(get(8));
      } else {
        if (bit + WINDOW_BITS + LOOKAHEAD_BITS > total) break;
        var offset = get(WINDOW_BITS) + 1;
        var count = get(LOOKAHEAD_BITS) + 1;
        for (var k = 0; k < count; k++) out.push(out.length >= offset ? out[out.length - offset] : 0);
      }
    }
    return new Uint8Array(out).buffer;
  }

  env.natives.heatshrink = function () {
    return { compress: compress, decompress: decompress };
  };
});
