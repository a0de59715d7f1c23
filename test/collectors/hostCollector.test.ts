import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FsStats, HostCollection } from '../../collectors/index.js';
import { collectHost, createHostCollector } from '../../collectors/index.js';
import type { Labels, WriteRequest } from '../../core/index.js';
import { createLogger, formatSeries, isStaleNaN } from '../../core/index.js';

const procFixtures = join(import.meta.dirname, 'data/proc');
const NOW = 1_795_790_000_000;

// statfs of the fixture's mount points: / answers, the rest fail like an unreachable device.
const fakeStatfs = (path: string): Promise<FsStats> =>
  path === '/' ? Promise.resolve({ bsize: 4096, blocks: 1000, bfree: 600, bavail: 500, files: 100, ffree: 40 }) : Promise.reject(new Error('ENOENT'));

/** A /sys with class/net/<device>/{operstate,mtu} as real files. */
function makeSys(devices: Record<string, { operstate: string; mtu: string }>): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'vigil-sys-'));
  for (const [name, d] of Object.entries(devices)) {
    mkdirSync(join(dir, 'class/net', name), { recursive: true });
    writeFileSync(join(dir, 'class/net', name, 'operstate'), `${d.operstate}\n`);
    writeFileSync(join(dir, 'class/net', name, 'mtu'), `${d.mtu}\n`);
  }
  return dir;
}

function value(c: { series: readonly { labels: Labels; samples: readonly { v: number }[] }[] }, name: string, labels: Labels = {}): number | undefined {
  const s = c.series.find((x) => x.labels['__name__'] === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.samples[0]?.v;
}

describe('collectHost over fixture files', () => {
  let sys: string;
  let c: HostCollection;
  beforeAll(async () => {
    sys = makeSys({ eth0: { operstate: 'up', mtu: '1400' }, lo: { operstate: 'unknown', mtu: '65536' } });
    c = await collectHost({ procRoot: procFixtures, sysRoot: sys, hostname: 'host-1', job: 'vigil-host', nowMs: NOW, statfs: fakeStatfs });
  });
  afterAll(() => rmSync(sys, { recursive: true, force: true }));

  it.each<[string, Labels, number]>([
    ['node_cpu_seconds_total', { cpu: '0', mode: 'user' }, 372.08],
    ['node_cpu_seconds_total', { cpu: '1', mode: 'idle' }, 502.6],
    ['node_cpu_guest_seconds_total', { cpu: '0', mode: 'user' }, 0],
    ['node_memory_MemTotal_bytes', {}, 24684084 * 1024],
    ['node_memory_MemAvailable_bytes', {}, 23549748 * 1024],
    ['node_load1', {}, 10.74],
    ['node_load15', {}, 2.56],
    ['node_network_receive_bytes_total', { device: 'eth0' }, 305547109],
    ['node_network_transmit_colls_total', { device: 'eth1' }, 14],
    ['node_network_up', { device: 'eth0' }, 1],
    ['node_network_up', { device: 'lo' }, 0],
    ['node_network_mtu_bytes', { device: 'eth0' }, 1400],
    ['node_filesystem_size_bytes', { device: '/dev/vda', mountpoint: '/', fstype: 'ext4' }, 4096 * 1000],
    ['node_filesystem_free_bytes', { mountpoint: '/' }, 4096 * 600],
    ['node_filesystem_avail_bytes', { mountpoint: '/' }, 4096 * 500],
    ['node_filesystem_files_free', { mountpoint: '/' }, 40],
    ['node_filesystem_readonly', { mountpoint: '/' }, 0],
    ['node_filesystem_device_error', { mountpoint: '/' }, 0],
    ['node_filesystem_device_error', { mountpoint: '/mnt/backup disk', fstype: 'xfs' }, 1],
    ['node_boot_time_seconds', {}, 1795780935],
    ['node_context_switches_total', {}, 1918756],
    ['node_procs_running', {}, 8],
    ['node_time_seconds', {}, NOW / 1000],
    ['node_uname_info', { nodename: 'host-1', sysname: os.type(), domainname: 'lab.example' }, 1],
    ['node_disk_reads_completed_total', { device: 'vda' }, 51011],
    ['node_disk_read_bytes_total', { device: 'vda' }, 2463922 * 512],
    ['node_disk_written_bytes_total', { device: 'vda' }, 4410936 * 512],
    ['node_disk_write_time_seconds_total', { device: 'vda' }, 12.516],
    ['node_disk_io_time_weighted_seconds_total', { device: 'vda' }, 25.155],
    ['node_disk_discarded_sectors_total', { device: 'vda' }, 395536],
    ['node_disk_flush_requests_total', { device: 'vda' }, 943],
    ['node_disk_io_now', { device: 'nvme0n1' }, 1],
    ['node_vmstat_pgfault', {}, 10738411],
    ['node_vmstat_oom_kill', {}, 1],
    ['node_filefd_allocated', {}, 1568],
    ['node_filefd_maximum', {}, 9223372036854775807],
    ['node_entropy_available_bits', {}, 256],
    ['node_pressure_cpu_waiting_seconds_total', {}, 11.552082],
    ['node_pressure_io_stalled_seconds_total', {}, 3.718629],
    ['node_pressure_memory_waiting_seconds_total', {}, 0.12],
    ['node_forks_total', {}, 20014],
    ['node_netstat_Tcp_CurrEstab', {}, 16],
    ['node_netstat_Tcp_ActiveOpens', {}, 1968],
    ['node_netstat_Tcp_InErrs', {}, 0],
    ['node_netstat_IpExt_InOctets', {}, 368135721],
    ['node_netstat_Ip6_InOctets', {}, 128],
    ['node_netstat_Udp6_InDatagrams', {}, 0],
    ['node_sockstat_sockets_used', {}, 45],
    ['node_sockstat_TCP_inuse', {}, 19],
    ['node_sockstat_TCP_tw', {}, 10],
    ['node_sockstat_TCP_mem', {}, 41],
    // mem is in pages; the fixture's smaps says 16 kB pages.
    ['node_sockstat_TCP_mem_bytes', {}, 41 * 16384],
    ['node_sockstat_FRAG6_memory', {}, 0],
  ])('%s%j = %d', (name, labels, want) => {
    expect(value(c, name, labels)).toBe(want);
  });

  it('labels every series job="vigil-host", instance=<hostname>, stamps every sample with the collection time', () => {
    expect(c.series.length).toBeGreaterThan(100);
    for (const s of c.series) {
      expect(s.labels).toMatchObject({ job: 'vigil-host', instance: 'host-1' });
      expect(s.samples).toEqual([{ t: NOW, v: expect.any(Number) }]);
    }
    const ids = new Set(c.series.map((s) => formatSeries(s.labels)));
    expect(ids.size).toBe(c.series.length);
  });

  it('leaves out what node_exporter leaves out by default', () => {
    // Partitions and loop devices.
    const disks = new Set(c.series.filter((s) => (s.labels['__name__'] as string).startsWith('node_disk_')).map((s) => s.labels['device']));
    expect([...disks].sort()).toEqual(['nvme0n1', 'vda', 'zram0']);
    // nvme0n1's line has 11 columns (Linux before 4.18): no discard or flush series for it.
    expect(value(c, 'node_disk_discards_completed_total', { device: 'nvme0n1' })).toBeUndefined();
    // cpu "full" is not reported, as node_exporter does not.
    expect(value(c, 'node_pressure_cpu_stalled_seconds_total')).toBeUndefined();
    // Only the vmstat and netstat fields node_exporter keeps by default.
    expect(value(c, 'node_vmstat_nr_free_pages')).toBeUndefined();
    expect(value(c, 'node_netstat_Tcp_RtoMin')).toBeUndefined();
    expect(value(c, 'node_netstat_Tcp_MaxConn')).toBeUndefined();
  });

  it('reports a filesystem that fails statfs only as a device error', () => {
    expect(value(c, 'node_filesystem_size_bytes', { mountpoint: '/mnt/backup disk' })).toBeUndefined();
  });

  it('describes every metric family once', () => {
    const names = c.metadata.map((m) => m.metricFamilyName);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(c.series.map((s) => s.labels['__name__'])));
    expect(c.metadata.find((m) => m.metricFamilyName === 'node_cpu_seconds_total')?.type).toBe('counter');
    expect(c.metadata.find((m) => m.metricFamilyName === 'node_load1')?.type).toBe('gauge');
    expect(c.failures).toEqual([]);
  });

  it('keeps the other sources when one cannot be read', async () => {
    const proc = mkdtempSync(join(os.tmpdir(), 'vigil-proc-'));
    cpSync(procFixtures, proc, { recursive: true });
    rmSync(join(proc, 'loadavg'));
    writeFileSync(join(proc, 'stat'), 'nothing useful\n');
    const partial = await collectHost({ procRoot: proc, sysRoot: join(proc, 'nope'), hostname: 'h', job: 'j', nowMs: NOW, statfs: fakeStatfs });
    rmSync(proc, { recursive: true, force: true });
    expect(partial.failures.map((f) => f.source).sort()).toEqual(['class/net', 'loadavg', 'stat']);
    // Pressure files are optional (kernels before 4.20): their absence is no failure.
    expect(value(partial, 'node_pressure_io_waiting_seconds_total')).toBe(3.907277);
    expect(value(partial, 'node_memory_MemTotal_bytes')).toBe(24684084 * 1024);
    expect(value(partial, 'node_load1')).toBeUndefined();
  });
});

describe('collectHost on this machine (real /proc and /sys)', () => {
  it('reports plausible values', async () => {
    const c = await collectHost({ procRoot: '/proc', sysRoot: '/sys', hostname: os.hostname(), job: 'vigil-host', nowMs: Date.now() });
    expect(c.failures).toEqual([]);
    const cpus = new Set(c.series.filter((s) => s.labels['__name__'] === 'node_cpu_seconds_total').map((s) => s.labels['cpu']));
    expect(cpus.size).toBe(os.cpus().length);
    expect(value(c, 'node_memory_MemTotal_bytes')).toBe(os.totalmem());
    expect(value(c, 'node_memory_MemAvailable_bytes')).toBeGreaterThan(0);
    expect(value(c, 'node_load1')).toBeCloseTo(os.loadavg()[0] as number, 0);
    const boot = value(c, 'node_boot_time_seconds') as number;
    expect(Math.abs(boot - (Date.now() / 1000 - os.uptime()))).toBeLessThan(5);
    expect(value(c, 'node_filesystem_size_bytes', { mountpoint: '/' })).toBeGreaterThan(0);
    expect(value(c, 'node_network_receive_bytes_total', { device: 'lo' })).toBeGreaterThanOrEqual(0);
  });
});

describe('host collector lifecycle', () => {
  const logger = createLogger('silent');

  it('collects at start and then every interval, never overlapping, and stops on shutdown', async () => {
    const sys = makeSys({ eth0: { operstate: 'up', mtu: '1500' } });
    const requests: WriteRequest[] = [];
    let running = 0;
    let maxRunning = 0;
    const collector = createHostCollector({
      procRoot: procFixtures,
      sysRoot: sys,
      statfs: fakeStatfs,
      intervalMs: 10,
      logger,
      registry: new Registry(),
      tenant: 'ops',
      hostname: 'box',
      // A sink slower than the interval: the next collection must wait for it.
      sink: async (req) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 25));
        requests.push(req);
        running--;
      },
    });
    collector.start();
    collector.start();
    // Until a second collection arrived (a collection reads some 30 files: slow on a busy machine).
    for (let i = 0; i < 400 && requests.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await collector.shutdown();
    await collector.shutdown();
    const seen = requests.length;
    await new Promise((r) => setTimeout(r, 60));
    rmSync(sys, { recursive: true, force: true });
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(requests.length).toBe(seen);
    expect(maxRunning).toBe(1);
    expect(requests[0]?.tenant).toBe('ops');
    expect(requests[0]?.series.every((s) => s.labels['instance'] === 'box')).toBe(true);
  });

  it('never rejects: a failing sink is counted and the next collection still runs', async () => {
    const registry = new Registry();
    let calls = 0;
    const collector = createHostCollector({
      procRoot: procFixtures,
      sysRoot: '/nonexistent',
      statfs: fakeStatfs,
      logger,
      registry,
      sink: () => {
        calls++;
        return Promise.reject(new Error('bus full'));
      },
    });
    expect(await collector.collectOnce()).toBe(false);
    expect(await collector.collectOnce()).toBe(false);
    await collector.shutdown();
    expect(calls).toBe(2);
    const text = await registry.metrics();
    expect(text).toContain('vigil_host_collections_total{result="failure"} 2');
    expect(text).toContain('vigil_host_collection_errors_total{source="sink"} 2');
    expect(text).toContain('vigil_host_collection_errors_total{source="class/net"} 2');
  });

  it('writes a staleness marker for a series that disappears', async () => {
    const sys = makeSys({ eth0: { operstate: 'up', mtu: '1500' }, veth9: { operstate: 'up', mtu: '1500' } });
    const requests: WriteRequest[] = [];
    let t = NOW;
    const collector = createHostCollector({
      procRoot: procFixtures,
      sysRoot: sys,
      statfs: fakeStatfs,
      logger,
      registry: new Registry(),
      now: () => t,
      sink: (req) => {
        requests.push(req);
        return Promise.resolve();
      },
    });
    await collector.collectOnce();
    rmSync(join(sys, 'class/net/veth9'), { recursive: true });
    t += 15_000;
    await collector.collectOnce();
    await collector.shutdown();
    rmSync(sys, { recursive: true, force: true });
    const second = requests[1] as WriteRequest;
    const stale = second.series.filter((s) => s.samples.some((p) => isStaleNaN(p.v)));
    expect(stale.map((s) => formatSeries(s.labels)).sort()).toEqual([
      'node_network_info{address="", broadcast="", device="veth9", duplex="", ifalias="", instance="' + os.hostname() + '", job="vigil-host", operstate="up"}',
      'node_network_mtu_bytes{device="veth9", instance="' + os.hostname() + '", job="vigil-host"}',
      'node_network_up{device="veth9", instance="' + os.hostname() + '", job="vigil-host"}',
    ]);
    expect(stale[0]?.samples[0]?.t).toBe(NOW + 15_000);
  });
});
