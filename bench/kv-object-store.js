// The store kv is compared with: a Redis-like server written the usual way, keys and values in a
// plain object, strings built per request. ES5 for the emulator; it listens on KV_PORT.
var store = {};
var count = 0;
require("net").createServer(function (sock) {
  var pending = "";
  sock.on("data", function (d) {
    pending += d;
    var out = "";
    for (;;) {
      if (pending.length === 0 || pending.charAt(0) !== "*") break;
      var e = pending.indexOf("\r\n");
      if (e < 0) break;
      var n = parseInt(pending.substring(1, e), 10);
      var p = e + 2;
      var args = [];
      var complete = true;
      for (var i = 0; i < n; i++) {
        e = pending.indexOf("\r\n", p);
        if (e < 0) { complete = false; break; }
        var len = parseInt(pending.substring(p + 1, e), 10);
        p = e + 2;
        if (pending.length < p + len + 2) { complete = false; break; }
        args.push(pending.substr(p, len));
        p += len + 2;
      }
      if (!complete) break;
      pending = pending.substring(p);
      var c = args[0].toUpperCase();
      if (c === "SET") {
        if (!store.hasOwnProperty(args[1])) count++;
        store[args[1]] = args[2];
        out += "+OK\r\n";
      } else if (c === "GET") {
        var v = store.hasOwnProperty(args[1]) ? store[args[1]] : undefined;
        out += v === undefined ? "$-1\r\n" : "$" + v.length + "\r\n" + v + "\r\n";
      } else if (c === "DBSIZE") {
        out += ":" + count + "\r\n";
      } else if (c === "PING") {
        out += "+PONG\r\n";
      } else {
        out += "-ERR unknown command\r\n";
      }
    }
    if (out !== "") sock.write(out);
  });
}).listen(KV_PORT);
