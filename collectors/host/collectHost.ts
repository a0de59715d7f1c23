import { open, readdir, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { MetricMetadata, TimeSeries } from '../../core/index.js';
import { parseLoadavg } from './loadavg.js';
import { parseMeminfo } from './meminfo.js';
import { parseMounts } from './mounts.js';
import type { Mount } from './mounts.js';
import { diskHelp, parseDiskstats } from './diskstats.js';
import { netClassFiles, netClassMetrics } from './netClass.js';
import { parseNetDev } from './netDev.js';
import { netstatFields, parsePageSize, parseSnmp6, parseSnmpTables, parseSockstat } from './netstat.js';
import { parsePressure, pressureMetrics } from './pressure.js';
import type { PressureResource } from './pressure.js';
import { parseFileNr, parseVmstat } from './vmstat.js';
import { cpuModes, parseProcStat } from './procStat.js';
import { SeriesBuilder } from './seriesBuilder.js';

/** Sizes of one filesystem, as statfs(2) reports them. */
export interface FsStats {
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
}

export interface CollectHostOptions {
  readonly procRoot: string;
  readonly sysRoot: string;
  /** The instance label. */
  readonly hostname: string;
  readonly job: string;
  /** Timestamp of every sample of this collection (ms). */
  readonly nowMs: number;
  /** statfs of a mount point; a hung network filesystem is abandoned after statfsTimeoutMs. */
  readonly statfs?: (path: string) => Promise<FsStats>;
  readonly statfsTimeoutMs?: number;
}

export interface HostCollection {
  readonly series: TimeSeries[];
  readonly metadata: MetricMetadata[];
  /** Sources that could not be read, with the reason; the rest of the collection is still good. */
  readonly failures: { readonly source: string; readonly error: string }[];
}

/**
 * One look at the machine, in node_exporter's metric names: CPU, memory and swap, load,
 * filesystems, disk I/O, network, processes and forks, pressure stall information, file
 * descriptors, entropy, boot time and clock. Each source is read on its own; one failing source is reported
 * in `failures` and does not spoil the others.
 */
export async function collectHost(opts: CollectHostOptions): Promise<HostCollection> {
  const b = new SeriesBuilder({ job: opts.job, instance: opts.hostname }, opts.nowMs);
  const failures: { source: string; error: string }[] = [];
  const source = async (name: string, read: () => Promise<void>): Promise<void> => {
    try {
      await read();
    } catch (err) {
      failures.push({ source: name, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const proc = (file: string): Promise<string> => readFile(join(opts.procRoot, file), 'utf8');

  await Promise.all([
    source('stat', async () => addProcStat(b, await proc('stat'))),
    source('meminfo', async () => {
      for (const e of parseMeminfo(await proc('meminfo'))) b.add(e.metric, 'gauge', `Memory information field ${e.metric.slice('node_memory_'.length)}.`, {}, e.value);
    }),
    source('loadavg', async () => {
      const l = parseLoadavg(await proc('loadavg'));
      if (l === undefined) throw new Error('unreadable loadavg');
      b.add('node_load1', 'gauge', '1m load average.', {}, l.load1);
      b.add('node_load5', 'gauge', '5m load average.', {}, l.load5);
      b.add('node_load15', 'gauge', '15m load average.', {}, l.load15);
    }),
    source('net/dev', async () => {
      for (const dev of parseNetDev(await proc('net/dev'))) {
        for (const [name, value] of dev.counters) b.add(name, 'counter', `Network device statistic ${name.slice('node_network_'.length, -'_total'.length)}.`, { device: dev.device }, value);
      }
    }),
    source('class/net', () => addNetClass(b, join(opts.sysRoot, 'class/net'))),
    source('diskstats', async () => {
      for (const d of parseDiskstats(await proc('diskstats'))) {
        for (const [name, value] of d.values) b.add(name, name === 'node_disk_io_now' ? 'gauge' : 'counter', diskHelp[name] ?? name, { device: d.device }, value);
      }
    }),
    source('vmstat', async () => {
      for (const [name, value] of parseVmstat(await proc('vmstat'))) b.add(name, 'unknown', `/proc/vmstat information field ${name.slice('node_vmstat_'.length)}.`, {}, value);
    }),
    source('file-nr', async () => {
      const f = parseFileNr(await proc('sys/fs/file-nr'));
      if (f === undefined) throw new Error('unreadable file-nr');
      b.add('node_filefd_allocated', 'gauge', 'File descriptor statistics: allocated.', {}, f.allocated);
      b.add('node_filefd_maximum', 'gauge', 'File descriptor statistics: maximum.', {}, f.maximum);
    }),
    source('entropy', async () => {
      const [avail, pool] = await Promise.all([proc('sys/kernel/random/entropy_avail'), proc('sys/kernel/random/poolsize')]);
      b.add('node_entropy_available_bits', 'gauge', 'Bits of available entropy.', {}, Number(avail.trim()));
      b.add('node_entropy_pool_size_bits', 'gauge', 'Bits of entropy pool.', {}, Number(pool.trim()));
    }),
    // Pressure stall information is missing on kernels before 4.20 or booted with psi=0: not a failure.
    ...(['cpu', 'io', 'memory'] as const).map((r: PressureResource) =>
      source(`pressure/${r}`, async () => {
        const text = await proc(`pressure/${r}`).catch(() => undefined);
        if (text === undefined) return;
        for (const [name, help, value] of pressureMetrics(r, parsePressure(text))) b.add(name, 'counter', help, {}, value);
      }),
    ),
    source('netstat', async () => {
      const [netstat, snmp, snmp6] = await Promise.all([proc('net/netstat'), proc('net/snmp'), proc('net/snmp6').catch(() => '')]);
      const all = new Map([...parseSnmpTables(netstat), ...parseSnmpTables(snmp), ...parseSnmp6(snmp6)]);
      for (const [key, value] of all) {
        if (netstatFields.test(key)) b.add(`node_netstat_${key}`, 'unknown', `Statistic ${key.replace('_', '')}.`, {}, value);
      }
    }),
    source('sockstat', async () => {
      const [v4, v6, pageSize] = await Promise.all([proc('net/sockstat'), proc('net/sockstat6').catch(() => ''), pageSizeOf(opts.procRoot)]);
      for (const [name, value] of [...parseSockstat(v4, pageSize), ...parseSockstat(v6, pageSize)]) {
        b.add(name, 'gauge', `Number of ${name.slice('node_sockstat_'.length)}.`, {}, value);
      }
    }),
    source('mounts', async () => addFilesystems(b, parseMounts(await proc('mounts')), opts.statfs ?? defaultStatfs, opts.statfsTimeoutMs ?? 5000)),
  ]);

  b.add('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).', {}, opts.nowMs / 1000);
  // The NIS domain name, as uname(2) reports it; the kernel's default is "(none)".
  const domainname = await proc('sys/kernel/domainname').then((s) => s.trim(), () => '(none)');
  b.add('node_uname_info', 'gauge', 'Labeled system information as provided by the uname system call.', {
    sysname: os.type(),
    release: os.release(),
    version: os.version(),
    machine: os.machine(),
    nodename: opts.hostname,
    domainname,
  }, 1);
  return { ...b.build(), failures };
}

function addProcStat(b: SeriesBuilder, text: string): void {
  const s = parseProcStat(text);
  if (s.cpus.length === 0) throw new Error('no cpu lines in stat');
  for (const c of s.cpus) {
    for (const mode of cpuModes) b.add('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.', { cpu: c.cpu, mode }, c.seconds[mode]);
    b.add('node_cpu_guest_seconds_total', 'counter', 'Seconds the CPUs spent in guests (VMs) for each mode.', { cpu: c.cpu, mode: 'user' }, c.guestSeconds);
    b.add('node_cpu_guest_seconds_total', 'counter', 'Seconds the CPUs spent in guests (VMs) for each mode.', { cpu: c.cpu, mode: 'nice' }, c.guestNiceSeconds);
  }
  const optional: [string, 'counter' | 'gauge', string, number | undefined][] = [
    ['node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.', s.bootTimeSeconds],
    ['node_context_switches_total', 'counter', 'Total number of context switches.', s.contextSwitches],
    ['node_intr_total', 'counter', 'Total number of interrupts serviced.', s.interrupts],
    ['node_forks_total', 'counter', 'Total number of forks.', s.forks],
    ['node_procs_running', 'gauge', 'Number of processes in runnable state.', s.procsRunning],
    ['node_procs_blocked', 'gauge', 'Number of processes blocked waiting for I/O to complete.', s.procsBlocked],
  ];
  for (const [name, type, help, value] of optional) if (value !== undefined) b.add(name, type, help, {}, value);
}

async function addNetClass(b: SeriesBuilder, dir: string): Promise<void> {
  for (const device of await readdir(dir)) {
    const read = (f: string): Promise<string | undefined> => readFile(join(dir, device, f), 'utf8').then((s) => s.trim(), () => undefined);
    const contents = await Promise.all(netClassFiles.map(async (f) => [f, await read(f)] as const));
    const files = Object.fromEntries(contents.filter(([, v]) => v !== undefined));
    const { metrics, info } = netClassMetrics(files);
    for (const [name, type, value] of metrics) b.add(name, type, `Network device property: ${name.slice('node_network_'.length)}.`, { device }, value);
    b.add('node_network_info', 'gauge', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.', { device, ...info }, 1);
  }
}

async function addFilesystems(b: SeriesBuilder, mounts: readonly Mount[], stat: (path: string) => Promise<FsStats>, timeoutMs: number): Promise<void> {
  await Promise.all(
    mounts.map(async (m) => {
      const labels = { device: m.device, mountpoint: m.mountpoint, fstype: m.fstype };
      let s: FsStats;
      try {
        s = await withTimeout(stat(m.mountpoint), timeoutMs, `statfs ${m.mountpoint} timed out`);
      } catch {
        b.add('node_filesystem_device_error', 'gauge', 'Whether an error occurred while getting statistics for the given device.', labels, 1);
        return;
      }
      b.add('node_filesystem_device_error', 'gauge', 'Whether an error occurred while getting statistics for the given device.', labels, 0);
      b.add('node_filesystem_readonly', 'gauge', 'Filesystem read-only status.', labels, m.readonly ? 1 : 0);
      b.add('node_filesystem_size_bytes', 'gauge', 'Filesystem size in bytes.', labels, s.blocks * s.bsize);
      b.add('node_filesystem_free_bytes', 'gauge', 'Filesystem free space in bytes.', labels, s.bfree * s.bsize);
      b.add('node_filesystem_avail_bytes', 'gauge', 'Filesystem space available to non-root users in bytes.', labels, s.bavail * s.bsize);
      b.add('node_filesystem_files', 'gauge', 'Filesystem total file nodes.', labels, s.files);
      b.add('node_filesystem_files_free', 'gauge', 'Filesystem total free file nodes.', labels, s.ffree);
    }),
  );
}

const pageSizes = new Map<string, number>();

/** Read once per /proc: the kernel's page size does not change while we run. */
async function pageSizeOf(procRoot: string): Promise<number> {
  const known = pageSizes.get(procRoot);
  if (known !== undefined) return known;
  const head = await open(join(procRoot, 'self/smaps'), 'r').then(
    async (h) => {
      try {
        const buf = Buffer.alloc(4096);
        const { bytesRead } = await h.read(buf, 0, buf.length, 0);
        return buf.toString('utf8', 0, bytesRead);
      } finally {
        await h.close();
      }
    },
    () => '',
  );
  const size = parsePageSize(head) ?? 4096;
  pageSizes.set(procRoot, size);
  return size;
}

async function defaultStatfs(path: string): Promise<FsStats> {
  const s = await statfs(path);
  return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
