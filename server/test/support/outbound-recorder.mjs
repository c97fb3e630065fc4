// Preloaded into a server process under test (`node --import <this file> ...`): records every
// outbound connection attempt, name lookup and UDP datagram the process makes, one JSON line
// each, to the file named by OUTBOUND_RECORD_FILE. It only watches: every call goes on unchanged.
//
//   {"kind":"connect","host":"127.0.0.1","port":5432}   net.Socket#connect: http, https, fetch
//                                                       (undici), pg, ioredis, ws, tls all end here
//   {"kind":"connect","path":"/tmp/x.sock"}             a local (Unix) socket
//   {"kind":"dns","fn":"lookup","name":"example.com"}   dns.lookup, dns.resolve*, dns.promises.*
//   {"kind":"udp","fn":"send","host":"1.1.1.1","port":53}  dgram sockets
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const file = process.env.OUTBOUND_RECORD_FILE;
if (!file) throw new Error('outbound-recorder: set OUTBOUND_RECORD_FILE to the file to append to');

/** The caller's frames, to tell which code made a connection (this file's own frames left out). */
function caller() {
  return (new Error().stack ?? '')
    .split('\n')
    .slice(4, 10)
    .map((line) => line.trim())
    .join(' | ');
}

function record(event) {
  // synchronous, so nothing is lost when the process is killed right after
  appendFileSync(file, JSON.stringify({ ...event, pid: process.pid, at: Date.now(), stack: caller() }) + '\n');
}

// ---- TCP (and Unix sockets): every client connection goes through Socket#connect ----
// Its arguments come as (options[, cb]), (port[, host][, cb]), (path[, cb]), or as the array
// net.connect() passes on after normalizing them.
function target(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined) return { path: String(first.path) };
    return { host: first.host ?? 'localhost', port: Number(first.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function recordedConnect(...args) {
  try {
    record({ kind: 'connect', ...target(args) });
  } catch {
    // recording must never change what the server does
  }
  return connect.apply(this, args);
};

// ---- DNS: lookup (getaddrinfo) and the resolver (c-ares), callback and promise forms ----
const dnsFunctions = [
  'lookup',
  'lookupService',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
];

function wrapDns(target) {
  if (!target) return;
  for (const fn of dnsFunctions) {
    const original = target[fn];
    if (typeof original !== 'function' || original.__recorded) continue;
    const wrapped = function recordedDns(name, ...rest) {
      record({ kind: 'dns', fn, name: String(name) });
      return original.call(this, name, ...rest);
    };
    wrapped.__recorded = true;
    target[fn] = wrapped;
  }
}

wrapDns(dns);
wrapDns(dns.promises);
wrapDns(dns.Resolver?.prototype);
wrapDns(dns.promises?.Resolver?.prototype);

// ---- UDP: any datagram socket that sends or connects ----
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function recordedSend(...args) {
  // send(msg[, offset, length][, port][, address][, callback])
  const numbers = args.slice(1).filter((a) => typeof a === 'number');
  const address = args.slice(1).find((a) => typeof a === 'string');
  record({ kind: 'udp', fn: 'send', host: address ?? null, port: numbers.length ? numbers[numbers.length - 1] : null });
  return send.apply(this, args);
};
const udpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function recordedUdpConnect(port, address, ...rest) {
  record({ kind: 'udp', fn: 'connect', host: typeof address === 'string' ? address : null, port });
  return udpConnect.call(this, port, address, ...rest);
};
const bind = dgram.Socket.prototype.bind;
dgram.Socket.prototype.bind = function recordedBind(...args) {
  record({ kind: 'udp', fn: 'bind' });
  return bind.apply(this, args);
};

// `import { lookup } from 'node:dns'` elsewhere must see the recorded versions too
syncBuiltinESMExports();
record({ kind: 'ready' });
