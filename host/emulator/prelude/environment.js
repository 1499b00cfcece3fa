// Runs inside the board's vm context after builtins.js: the device's own globals (print,
// console, process, E, timers, require, Modules, reset/load/save) built from the host's `sys`
// hooks; storage.js and net.js add the native modules. Objects are made here, in the board's realm, so they inherit on/emit like any other.
// The hooks pass only primitives and host functions; everything returned to the program is
// rebuilt here. The value of this file is one function expression.
(function (sys) {
  "use strict";
  var G = this;
  var defineProperty = Object.defineProperty;

  function hide(owner, name, value) {
    defineProperty(owner, name, { value: value, writable: true, configurable: true, enumerable: false });
  }

  // --- printing values the way the device's console shows them ---
  var IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  function formatNumber(n) {
    if (n !== n) return "NaN";
    var s = String(n);
    // The device's float to string keeps about 11 fraction digits (0.1+0.2 prints 0.3).
    var a = n < 0 ? -n : n;
    if (n % 1 !== 0 && a >= 1e-5 && a < 1e21 && s.indexOf("e") < 0) s = n.toFixed(11).replace(/\.?0+$/, "");
    // ... and prints 1e21 as 10e+20.
    return s.replace(/^(-?)1e\+(\d+)$/, function (_, sign, exp) { return sign + "10e+" + (exp - 1); });
  }
  function format(v, depth) {
    if (v === undefined) return "undefined";
    if (v === null) return "null";
    var t = typeof v;
    if (t === "number") return formatNumber(v);
    if (t === "boolean") return String(v);
    if (t === "string") return JSON.stringify(v);
    if (t === "function") return sys.functionText(G.__bhU(v));
    if (depth > 4) return "...";
    if (ArrayBufferIsView(v)) {
      var name = v.constructor && v.constructor.name;
      if (name === "DataView") return "DataView: " + format(v.buffer, depth + 1);
      return "new " + name + "([" + Array.prototype.join.call(v, ", ") + "])";
    }
    if (v instanceof ArrayBuffer) return "new Uint8Array(" + format(new Uint8Array(v), depth + 1).slice(15, -1) + ").buffer";
    if (Array.isArray(v)) {
      if (!v.length) return "[ ]";
      return "[ " + v.map(function (x) { return format(x, depth + 1); }).join(", ") + " ]";
    }
    if (v instanceof Error) return (v.constructor && v.constructor.name || "Error") + ": " + v.message;
    var keys = Object.keys(v);
    if (!keys.length) return "{ }";
    return "{ " + keys.map(function (k) {
      return (IDENT.test(k) ? k : JSON.stringify(k)) + ": " + format(v[k], depth + 1);
    }).join(", ") + " }";
  }
  var ArrayBufferIsView = sys.isView;

  // --- print/console.log: the device's jsfGetJSONWithCallback with PRETTY, SOME_NEWLINES and
  // SHOW_OBJECT_NAMES (jswrap_json.c): quoted keys, a new line before any value that is not a
  // number, boolean, null or undefined, and after four items of an object on one line; objects made
  // by a global constructor prefixed "Name: ", and shown by their own toString when they have one ---
  function escapeChar(c, next) {
    var code = c.charCodeAt(0);
    var named = { "\n": "\\n", "\t": "\\t", "\b": "\\b", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\\": "\\\\", '"': '\\"' }[c];
    if (named) return named;
    if (code < 8 && !(next >= "0" && next <= "7")) return "\\" + code;
    if (code < 32 || code >= 127) {
      var hex = code.toString(16).toUpperCase();
      return code > 255 ? "\\u" + ("000" + hex).slice(-4) : "\\x" + ("0" + hex).slice(-2);
    }
    return c;
  }
  function quote(str) {
    var out = '"';
    for (var i = 0; i < str.length; i++) out += escapeChar(str[i], str[i + 1]);
    return out + '"';
  }
  function needsNewLine(v) {
    return !(v === undefined || v === null || typeof v === "number" || typeof v === "boolean");
  }
  function newLine(level) {
    return "\n" + "  ".repeat(level);
  }
  function globalNameOf(fn) {
    var names = Object.getOwnPropertyNames(G);
    for (var i = 0; i < names.length; i++) {
      var d = Object.getOwnPropertyDescriptor(G, names[i]);
      if (d && (d.value === fn || (typeof d.value === "function" && G.__bhU(d.value) === fn))) return names[i];
    }
    return undefined;
  }
  function itemsOf(obj, keys, level, seen, first) {
    var out = "";
    var needNL = false;
    var sinceNewLine = 0;
    keys.forEach(function (k) {
      var d = Object.getOwnPropertyDescriptor(obj, k);
      if (!d || d.get || d.set) return;
      sinceNewLine++;
      if (!first) out += ", ";
      first = false;
      var itemNeeds = needsNewLine(d.value);
      if (sinceNewLine > 4) needNL = true;
      if (needNL || itemNeeds) {
        out += newLine(level + 1);
        needNL = false;
        sinceNewLine = 0;
      }
      out += quote(k) + ": " + printJSON(d.value, level + 1, seen);
      needNL = itemNeeds;
    });
    return { text: out, needNL: needNL };
  }
  function printJSON(v, level, seen) {
    if (v === undefined) return "undefined";
    if (v === null || typeof v !== "object") {
      if (typeof v === "string") return quote(v);
      if (typeof v === "function") return sys.functionText(G.__bhU(v));
      return typeof v === "number" ? formatNumber(v) : String(v);
    }
    if (seen.indexOf(v) >= 0) return " ... ";
    seen.push(v);
    try {
      if (Array.isArray(v)) {
        var out = "[ ";
        var needNL = false;
        for (var i = 0; i < v.length; i++) {
          if (i) out += ", ";
          var itemNeeds = needsNewLine(v[i]);
          if (needNL || itemNeeds) out += newLine(level + 1);
          out += printJSON(v[i], level + 1, seen);
          needNL = itemNeeds;
        }
        var extra = itemsOf(v, Object.keys(v).filter(function (k) { return String(k >>> 0) !== k; }), level, seen, v.length === 0);
        out += extra.text;
        if (needNL || extra.needNL) out += newLine(level);
        return out + " ]";
      }
      var isBuffer = v instanceof ArrayBuffer;
      if (isBuffer || (ArrayBufferIsView(v) && !(v instanceof DataView))) {
        var u = isBuffer ? new Uint8Array(v) : v;
        var name = isBuffer ? "ArrayBuffer" : v.constructor.name;
        if (Array.prototype.every.call(u, function (x) { return x === 0; })) return "new " + name + "(" + u.length + ")";
        return "new " + (isBuffer ? "Uint8Array" : name) + "([" + Array.prototype.map.call(u, function (x) { return formatNumber(x); }).join(", ") + "])" + (isBuffer ? ".buffer" : "");
      }
      var prefix = "";
      var proto = Object.getPrototypeOf(v);
      if (proto && proto !== Object.prototype && typeof proto.constructor === "function") {
        var cname = globalNameOf(proto.constructor);
        if (cname) prefix = cname + ": ";
        if (typeof v.toString === "function" && v.toString !== Object.prototype.toString) return prefix + String(v.toString());
      }
      var items = itemsOf(v, Object.keys(v), level, seen, true);
      return prefix + "{ " + items.text + (items.needNL ? newLine(level) : "") + " }";
    } finally {
      seen.pop();
    }
  }

  function printArgs(args) {
    var parts = [];
    for (var i = 0; i < args.length; i++) parts.push(typeof args[i] === "string" ? args[i] : printJSON(args[i], 0, []));
    sys.write(parts.join(" ").replace(/\n/g, "\r\n") + "\r\n");
  }
  // Espruino names its global object `global` (and `globalThis`, which V8 already has).
  hide(G, "global", G);
  hide(G, "print", function print() { printArgs(arguments); });
  var consoleObj = {};
  ["log", "info", "warn", "error", "debug"].forEach(function (m) {
    consoleObj[m] = function () { printArgs(arguments); };
  });
  hide(G, "console", consoleObj);

  hide(G, "atob", function atob(b64) { return sys.atob(String(b64)); });
  hide(G, "btoa", function btoa(bytes) { return sys.btoa(String(bytes)); });

  // --- time and timers ---
  hide(G, "getTime", function getTime() { return sys.now() / 1000; });
  function timer(repeat) {
    return function (fn, ms) {
      if (typeof fn === "string") {
        var code = fn;
        fn = function () { sys.run(code, "timer"); };
      }
      if (typeof fn !== "function") throw new Error("Function or String not supplied!");
      var args = Array.prototype.slice.call(arguments, 2);
      return sys.setTimer(function () { fn.apply(undefined, args); }, +ms || 0, repeat);
    };
  }
  hide(G, "setTimeout", timer(false));
  hide(G, "setInterval", timer(true));
  function clear(name) {
    return function (id) {
      if (arguments.length === 0) sys.clearAllTimers();
      else if (id === undefined) throw new Error("clear" + name + "(undefined) not allowed. Use clear" + name + "() instead");
      else if (typeof id === "number" || typeof id === "string") sys.clearTimer(+id);
    };
  }
  hide(G, "clearTimeout", clear("Timeout"));
  hide(G, "clearInterval", clear("Interval"));
  // Only a timer's id finds it; anything else (a function, say) is an unknown interval.
  hide(G, "changeInterval", function changeInterval(id, ms) {
    if ((typeof id !== "number" && typeof id !== "string") || !sys.changeInterval(+id, +ms)) throw new Error("Unknown Interval");
  });

  // --- process ---
  var env = JSON.parse(sys.envJSON());
  hide(G, "process", {
    env: env,
    version: env.VERSION,
    memory: function memory(runGc) {
      var m = sys.memory(runGc !== false);
      return { free: m[0], usage: m[1], total: m[2], history: m[3], gc: m[4], gctime: m[5], blocksize: m[6] };
    },
  });

  // --- E ---
  var E = {
    getErrorFlags: function getErrorFlags() {
      var s = sys.errorFlags();
      return s ? s.split(",") : [];
    },
    getSizeOf: function getSizeOf(v, depth) { return sys.sizeOf(v, depth | 0); },
    getAddressOf: function getAddressOf(v, flatAddress) { return flatAddress ? sys.addressOf(v) : 0; },
    reboot: function reboot() { sys.reboot(); },
    defrag: function defrag() { sys.defrag(); },
    setBootCode: function setBootCode(code) { sys.storageWrite(".bootcde", String(code || ""), 0, 0); },
    toArrayBuffer: function toArrayBuffer(str) { return E.toUint8Array(str).buffer; },
    toUint8Array: function toUint8Array() {
      var out = [];
      function add(x) {
        if (typeof x === "string") for (var i = 0; i < x.length; i++) out.push(x.charCodeAt(i) & 255);
        else if (typeof x === "number") out.push(x & 255);
        else if (x && typeof x.length === "number") for (var j = 0; j < x.length; j++) add(x[j]);
        else if (x instanceof ArrayBuffer) add(new Uint8Array(x));
      }
      for (var i = 0; i < arguments.length; i++) add(arguments[i]);
      var u = new Uint8Array(out.length);
      u.set(out);
      return u;
    },
    toString: function toString() {
      var u = E.toUint8Array.apply(undefined, arguments);
      var s = "";
      for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
      return s;
    },
    toJS: function toJS(v) { return format(v, 0); },
  };
  hide(G, "E", E);

  // --- boot, reset, save ---
  hide(G, "reset", function reset(clearFlash) { sys.reset(!!clearFlash); });
  hide(G, "load", function load(name) { sys.load(name === undefined ? "" : String(name)); });
  hide(G, "save", function save() { sys.save(); });
  hide(G, "echo", function echo(on) { sys.echo(!!on); });

  // --- shared with storage.js and net.js ---
  function bytesOf(data) {
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer || ArrayBufferIsView(data) || Array.isArray(data)) return E.toString(data);
    return String(data);
  }

  // --- modules ---
  var cache = {};
  var Modules = {
    addCached: function addCached(name, code) { cache[name] = { code: code, exports: undefined }; },
    removeCached: function removeCached(name) { delete cache[name]; },
    removeAllCached: function removeAllCached() { cache = {}; },
    getCached: function getCached() { return Object.keys(cache); },
  };
  hide(G, "Modules", Modules);

  function runModule(code, name, inFlash) {
    var module = { exports: {} };
    var original = module.exports;
    if (typeof code !== "function") {
      // The wrapper returns the module's `exports` variable: `exports = x` sets the module's value on the device.
      var rebound = sys.compileModule(String(code), name, !!inFlash).call(module.exports, module.exports, module);
      return module.exports === original && rebound !== undefined ? rebound : module.exports;
    }
    // The espruino tool uploads modules as Modules.addCached(name, function () { ... }), whose
    // body uses `exports` and `module` as free names.
    var had = { exports: G.exports, module: G.module };
    G.exports = module.exports;
    G.module = module;
    var result;
    try {
      code.call(module.exports);
      result = module.exports === original ? G.exports : module.exports;
    } finally {
      G.exports = had.exports;
      G.module = had.module;
    }
    return result;
  }
  // Native modules; storage.js and net.js add theirs.
  var natives = {};
  hide(G, "require", function require(name) {
    name = String(name);
    var entry = cache[name];
    if (entry) {
      if (entry.exports === undefined) entry.exports = runModule(entry.code, name);
      return entry.exports;
    }
    if (natives[name] && sys.hasModule(name)) return natives[name]();
    var text = name.length <= 28 ? sys.storageRead(name, 0, 0) : undefined;
    if (text !== undefined) {
      cache[name] = { code: text, exports: runModule(text, name, true) };
      return cache[name].exports;
    }
    throw new Error("Module " + name + " not found");
  });

  return { format: format, E: E, bytesOf: bytesOf, natives: natives };
});
