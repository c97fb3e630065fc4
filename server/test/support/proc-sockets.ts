import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * A process's own internet sockets as the kernel sees them, from outside the process: the
 * `socket:[inode]` links under /proc/<pid>/fd, looked up in /proc/<pid>/net/{tcp,tcp6,udp,udp6}.
 * Linux only; whatever the process does inside Node (or in native code) shows up here.
 */

export type KernelSocket = {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  inode: number;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** the kernel's state code in hex: 01 established, 0A listening, ... */
  state: string;
};

const protocols = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/** An IPv4 address as /proc prints it: 8 hex digits, the bytes in host (little-endian) order. */
function ipv4(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  return [bytes.readUInt8(3), bytes.readUInt8(2), bytes.readUInt8(1), bytes.readUInt8(0)].join('.');
}

/** An IPv6 address as /proc prints it: four 32-bit words, each in host order; ::ffff:a.b.c.d as a.b.c.d. */
function ipv6(hex: string): string {
  const bytes = Buffer.alloc(16);
  for (let word = 0; word < 4; word++) {
    const value = Buffer.from(hex.slice(word * 8, word * 8 + 8), 'hex');
    for (let i = 0; i < 4; i++) bytes[word * 4 + i] = value[3 - i]!;
  }
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return [...bytes.subarray(12)].join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // the URL parser writes an IPv6 address in its canonical, compressed form
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function endpoint(text: string, v6: boolean): [string, number] {
  const [address, port] = text.split(':');
  return [v6 ? ipv6(address!) : ipv4(address!), parseInt(port!, 16)];
}

/** The inodes of the sockets `pid` has open now (empty once it has exited). */
function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // closed between readdir and readlink
    }
  }
  return inodes;
}

/** Every TCP and UDP socket `pid` holds right now, with both ends. */
export function processSockets(pid: number): KernelSocket[] {
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return [];
  const sockets: KernelSocket[] = [];
  for (const protocol of protocols) {
    let table: string;
    try {
      table = readFileSync(`/proc/${pid}/net/${protocol}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const inode = Number(fields[9]);
      if (!inodes.has(inode)) continue;
      const v6 = protocol.endsWith('6');
      const [localAddress, localPort] = endpoint(fields[1]!, v6);
      const [remoteAddress, remotePort] = endpoint(fields[2]!, v6);
      sockets.push({ protocol, inode, localAddress, localPort, remoteAddress, remotePort, state: fields[3]! });
    }
  }
  return sockets;
}

/** Is this the unspecified address (a listening or unconnected socket's remote end)? */
export const isUnspecified = (address: string) => address === '0.0.0.0' || address === '::';

/**
 * Samples `pid`'s sockets every `everyMs` until stopped, keeping each distinct one seen (by
 * protocol, inode and both ends), so short-lived connections are caught as long as they live
 * for one interval.
 */
export function watchProcessSockets(pid: number, everyMs = 50) {
  const seen = new Map<string, KernelSocket>();
  let samples = 0;
  const sample = () => {
    samples++;
    for (const socket of processSockets(pid)) {
      const key = `${socket.protocol} ${socket.inode} ${socket.localAddress}:${socket.localPort} ${socket.remoteAddress}:${socket.remotePort}`;
      if (!seen.has(key)) seen.set(key, socket);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    get samples() {
      return samples;
    },
    /** every socket seen so far */
    seen: () => [...seen.values()],
    stop: () => {
      clearInterval(timer);
      sample();
      return [...seen.values()];
    },
  };
}
