// Runs inside the board's vm context after environment.js: require("net") on boards that have
// it, sockets backed by the host's 127.0.0.1 sockets (net-bridge.ts). The value of this file is
// one function expression, called with the host's hooks and what environment.js shares.
(function (sys, env) {
  "use strict";
  var bytesOf = env.bytesOf;

  var netInstance;
  function netModule() {
    if (netInstance) return netInstance;
    function Socket(id) { this.id = id; }
    Socket.prototype.write = function (data) { sys.netWrite(this.id, bytesOf(data)); return true; };
    Socket.prototype.end = function (data) {
      if (data !== undefined) this.write(data);
      sys.netEnd(this.id);
    };
    var sockets = {};
    var servers = {};
    function Server(id) { this.id = id; }
    Server.prototype.listen = function (port) { sys.netListen(this.id, +port); return this; };
    Server.prototype.close = function () { sys.netClose(this.id); };
    // The host calls this (in a board task) for every socket event.
    sys.netSetDispatcher(function (kind, id, a, b) {
      if (kind === "accept") {
        var s = new Socket(a);
        sockets[a] = s;
        servers[id].emit("connection", s);
        if (servers[id].cb) servers[id].cb(s);
      } else if (kind === "connect") {
        sockets[id].emit("connect");
      } else if (kind === "data") {
        sockets[id].emit("data", a);
      } else if (kind === "close") {
        var s2 = sockets[id];
        delete sockets[id];
        if (s2) { s2.emit("end"); s2.emit("close", b); }
      } else if (kind === "error") {
        if (sockets[id]) sockets[id].emit("error", { code: a, message: b });
        else if (servers[id]) servers[id].emit("error", { code: a, message: b });
      }
    });
    netInstance = {
      createServer: function createServer(cb) {
        var id = sys.netCreateServer();
        var server = new Server(id);
        server.cb = cb;
        servers[id] = server;
        return server;
      },
      connect: function connect(options, cb) {
        if (typeof options === "string") options = { host: options.split(":")[0], port: +options.split(":")[1] };
        var id = sys.netConnect(String(options.host || "127.0.0.1"), +options.port);
        var s = new Socket(id);
        sockets[id] = s;
        if (cb) s.on("connect", function () { cb(s); });
        return s;
      },
    };
    return netInstance;
  }

  env.natives.net = function () { return netModule(); };
});
