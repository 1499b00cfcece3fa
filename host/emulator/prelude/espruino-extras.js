// Runs inside the board's vm context after environment.js: built-ins the device has and V8
// does not (from the interpreter's jswrap_*.c sources and espruino.com/Reference), each with the
// behaviour documented there. The value of this file is one function expression, called with
// the host's hooks, environment.js's api and builtins.js's event emitter controls.
(function (sys, api, events) {
  "use strict";
  var G = this;
  var E = api.E;

  function hide(owner, name, value) {
    Object.defineProperty(owner, name, { value: value, writable: true, configurable: true, enumerable: false });
  }

  // --- what V8 has and the device (2v29) does not: each looked up on the device, `undefined` there ---
  var DEVICE_LACKS = {
    "Array.prototype": ["findLast", "findLastIndex", "toReversed", "toSorted", "toSpliced", "with", "entries", "keys", "values", "toLocaleString"],
    Object: ["getOwnPropertySymbols", "hasOwn", "isExtensible", "isSealed", "preventExtensions"],
    "Object.prototype": ["toLocaleString"],
    "String.prototype": ["at", "codePointAt", "isWellFormed", "toWellFormed", "matchAll", "normalize", "trimStart", "trimEnd", "trimLeft", "trimRight",
      "localeCompare", "anchor", "big", "blink", "bold", "fixed", "fontcolor", "fontsize", "italics", "link", "small", "strike", "sub", "sup",
      "toLocaleLowerCase", "toLocaleUpperCase"],
    String: ["fromCodePoint", "raw"],
    Number: ["isFinite", "isNaN", "parseFloat", "parseInt"],
    "Number.prototype": ["toExponential", "toPrecision", "toLocaleString"],
    Math: ["acosh", "asinh", "atanh"],
    Promise: ["allSettled", "any", "race"],
    "Promise.prototype": ["finally"],
    "Date.prototype": ["getYear", "setYear", "toGMTString", "toDateString", "toTimeString", "toLocaleDateString", "toLocaleTimeString", "toLocaleString"],
    global: ["decodeURI", "encodeURI", "escape", "unescape"],
  };
  Object.keys(DEVICE_LACKS).forEach(function (path) {
    var owner = path === "global" ? G : path.split(".").reduce(function (o, k) { return o[k]; }, G);
    DEVICE_LACKS[path].forEach(function (name) {
      delete owner[name];
    });
  });

  // Math.clip(x, min, max) and Math.wrap(x, max): the device's own.
  hide(Math, "clip", function clip(x, min, max) {
    return x < min ? min : x > max ? max : +x;
  });
  hide(Math, "wrap", function wrap(x, max) {
    var r = x % max;
    return r < 0 ? r + max : r;
  });

  // JSON.stringify writes a typed array as an array on the device, not as an object of indices.
  var realStringify = JSON.stringify;
  hide(JSON, "stringify", function stringify(value, replacer, space) {
    if (Array.isArray(replacer)) return realStringify(value, replacer, space);
    var user = typeof replacer === "function" ? replacer : null;
    return realStringify(value, function (key, v) {
      var x = user ? user.call(this, key, v) : v;
      return sys.isView(x) && !(x instanceof G.DataView) ? Array.prototype.slice.call(x) : x;
    }, space);
  });

  // trace(root): the device prints its internal variable tree; here the value as the console shows it.
  hide(G, "trace", function trace(root) {
    sys.write(api.format(root === undefined ? G : root, 0) + "\r\n");
  });

  // Math.randInt(range): 0 <= X < range, or a 32-bit integer when range is missing or <= 0.
  hide(Math, "randInt", function randInt(range) {
    var r = +range | 0;
    return r > 0 ? Math.floor(Math.random() * r) : (Math.random() * 4294967296) | 0;
  });

  // Object.prototype.clone(): a shallow copy with the same prototype (jsvCopy).
  hide(Object.prototype, "clone", function clone() {
    if (Array.isArray(this)) return this.slice();
    var copy = Object.create(Object.getPrototypeOf(this));
    var keys = Object.keys(this);
    for (var i = 0; i < keys.length; i++) copy[keys[i]] = this[keys[i]];
    return copy;
  });

  // ArrayBufferView: the parent of every typed array, so methods added to its prototype reach them all.
  var TypedArrayProto = Object.getPrototypeOf(G.Uint8Array.prototype);
  function ArrayBufferView() {
    throw new Error("ArrayBufferView cannot be constructed");
  }
  ArrayBufferView.prototype = Object.getPrototypeOf(TypedArrayProto);
  hide(G, "ArrayBufferView", ArrayBufferView);

  // E.mapInPlace(from, to, map, bits): jswrap_espruino_mapInPlace, element by element.
  hide(E, "mapInPlace", function mapInPlace(from, to, map, bits) {
    if (!sys.isView(from) || !sys.isView(to)) throw new Error("First 2 arguments should be array buffers");
    var isFn = typeof map === "function";
    if (map !== undefined && map !== null && !isFn && !Array.isArray(map) && !sys.isView(map)) throw new Error("Third argument should be a function or array");
    var bitsFrom = 8 * (from.byteLength / from.length || 1);
    var n = bits | 0;
    var msbFirst = n >= 0;
    if (n < 0) n = -n;
    if (n === 0) n = bitsFrom;
    var el = 0;
    var b = 0;
    var i = 0;
    for (var j = 0; (i < from.length || b >= n) && j < to.length; j++) {
      var index = i;
      while (b < n) {
        var x = i < from.length ? from[i] : 0;
        if (msbFirst) el = el * Math.pow(2, bitsFrom) + x;
        else el += x * Math.pow(2, b);
        i++;
        b += bitsFrom;
      }
      var mask = Math.pow(2, n);
      var v;
      if (msbFirst) {
        v = Math.floor(el / Math.pow(2, b - n)) % mask;
        el = el % Math.pow(2, b - n);
      } else {
        v = el % mask;
        el = Math.floor(el / mask);
      }
      b -= n;
      if (isFn) to[j] = map(v, index);
      else if (map !== undefined && map !== null) to[j] = map[v];
      else to[j] = v;
    }
  });

  // E.stopEventPropagation(): the handlers after the running one do not get this event.
  hide(E, "stopEventPropagation", function stopEventPropagation() {
    events.stopPropagation();
  });

  // E.toFlatString(...): E.toString's bytes as one string (undefined only when memory is short).
  hide(E, "toFlatString", function toFlatString() {
    return E.toString.apply(undefined, arguments);
  });

  // E.getFlags() / E.setFlags(flags): the interpreter's flags; setFlags changes only the ones given.
  var flags = { deepSleep: 0, pretokenise: 0, unsafeFlash: 0, unsyncFiles: 0, jitDebug: 0, onErrorSave: 0, onErrorFlash: 0 };
  hide(E, "getFlags", function getFlags() {
    return Object.assign({}, flags);
  });
  hide(E, "setFlags", function setFlags(f) {
    if (f === null || typeof f !== "object") return;
    Object.keys(flags).forEach(function (k) {
      if (k in f) flags[k] = f[k] ? 1 : 0;
    });
  });

  // E.decodeUTF8(str, lookup, replaceFn): UTF-8 sequences flattened to 8-bit characters.
  hide(E, "decodeUTF8", function decodeUTF8(str, lookup, replaceFn) {
    var s = String(str);
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      var extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
      if (extra) {
        c &= 0x3f >> extra;
        for (var k = 0; k < extra && i + 1 < s.length; k++) c = (c << 6) | (s.charCodeAt(++i) & 0x3f);
      }
      if (c < 256) out += String.fromCharCode(c);
      else if (Array.isArray(lookup) && lookup[c] !== undefined) out += lookup[c];
      else if (lookup && !Array.isArray(lookup) && typeof lookup === "object" && lookup[c] !== undefined) out += lookup[c];
      else if (typeof replaceFn === "function") out += replaceFn(c);
      else if (typeof replaceFn === "string") out += replaceFn;
    }
    return out;
  });

  // The console's device object, named by process.env.CONSOLE: writes go to the console.
  function printText(args) {
    return Array.prototype.map.call(args, function (a) { return typeof a === "string" ? a : api.format(a, 0); }).join("");
  }
  var consoleDevice = {
    write: function write() { sys.write(printText(arguments)); },
    print: function print(s) { sys.write(String(s)); },
    println: function println(s) { sys.write(String(s) + "\r\n"); },
    setConsole: function setConsole() {},
    setup: function setup() {},
    available: function available() { return 0; },
    read: function read() { return ""; },
  };
  hide(G, G.process.env.CONSOLE, consoleDevice);

  // url.parse(urlStr, parseQuery): jswrap_url_parse, on boards with networking.
  if (sys.hasModule("net")) {
    hide(G, "url", {
      parse: function parse(urlStr, parseQuery) {
        if (typeof urlStr !== "string") return undefined;
        var slashes = 0, colons = 0, addrStart = -1, portStart = -1, pathStart = -1, searchStart = -1, port = 0;
        for (var i = 0; i < urlStr.length; i++) {
          var ch = urlStr[i];
          if (ch === "/") {
            slashes++;
            if (pathStart < 0) pathStart = i;
            if (colons === 1 && slashes === 2 && addrStart < 0) {
              addrStart = i;
              pathStart = -1;
              searchStart = -1;
            }
          }
          if (ch === ":") {
            colons++;
            if (addrStart >= 0 && pathStart < 0) portStart = i;
          }
          if (portStart >= 0 && i > portStart && pathStart < 0 && ch >= "0" && ch <= "9") port = port * 10 + (+ch);
          if (ch === "?" && pathStart >= 0) searchStart = i;
        }
        if (pathStart < 0) pathStart = urlStr.length;
        var addrEnd = portStart >= 0 ? portStart : pathStart;
        var o = {};
        if (addrStart > 0) o.protocol = urlStr.slice(0, addrStart - 1);
        o.method = "GET";
        o.host = urlStr.slice(addrStart + 1, addrEnd);
        o.path = urlStr.slice(pathStart) || "/";
        o.pathname = urlStr.slice(pathStart, searchStart >= 0 ? searchStart : urlStr.length) || "/";
        o.search = searchStart >= 0 ? urlStr.slice(searchStart) : null;
        o.port = port <= 0 || port > 65535 ? null : port;
        var query = searchStart >= 0 ? urlStr.slice(searchStart + 1) : null;
        if (parseQuery && query !== null) {
          var q = {};
          query.split("&").forEach(function (pair) {
            if (!pair) return;
            var eq = pair.indexOf("=");
            var key = eq < 0 ? pair : pair.slice(0, eq);
            var val = eq < 0 ? "" : pair.slice(eq + 1);
            var dec = function (t) {
              return t.replace(/%([0-9a-fA-F]{2})/g, function (_, h) { return String.fromCharCode(parseInt(h, 16)); });
            };
            q[dec(key)] = dec(val);
          });
          query = q;
        }
        o.query = query;
        return o;
      },
    });
  }
});
