import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netClassMetrics, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parsePageSize, parseProcStat, parseSnmp6, parseSnmpTables, parseSockstat } from '../../collectors/index.js';

// Real samples from a build machine (data/proc), plus a synthetic eth1 in net/dev whose 16
// columns are 1..16 and a read-only mount with an escaped space, so that every column and
// escape is checked.
const fixture = (file: string): string => readFileSync(join(import.meta.dirname, 'data/proc', file), 'utf8');

describe('/proc/stat', () => {
  const stat = parseProcStat(fixture('stat'));

  it('reads per-CPU seconds by mode (USER_HZ 100), skipping the aggregate line', () => {
    expect(stat.cpus.map((c) => c.cpu)).toEqual(['0', '1']);
    expect(stat.cpus[0]?.seconds).toEqual({ user: 372.08, nice: 0, system: 40.59, idle: 630.22, iowait: 0.67, irq: 0, softirq: 0.33, steal: 0.25 });
    expect(stat.cpus[1]?.seconds.idle).toBe(502.6);
  });

  it('reads boot time and kernel counters', () => {
    expect(stat).toMatchObject({ bootTimeSeconds: 1795780935, contextSwitches: 1918756, interrupts: 742685, forks: 20014, procsRunning: 8, procsBlocked: 0 });
  });

  it.each([
    { name: 'old kernels with fewer columns read missing modes as 0', text: 'cpu0 100 200 300 400\n', user: 1, steal: 0, guest: 0 },
    { name: 'guest time is separate', text: 'cpu3 1 0 0 0 0 0 0 0 250 50\n', user: 0.01, steal: 0, guest: 2.5 },
  ])('$name', ({ text, user, steal, guest }) => {
    const [cpu] = parseProcStat(text).cpus;
    expect(cpu?.seconds.user).toBe(user);
    expect(cpu?.seconds.steal).toBe(steal);
    expect(cpu?.guestSeconds).toBe(guest);
  });

  it('yields nothing from text that is not /proc/stat', () => {
    expect(parseProcStat('hello\n')).toMatchObject({ cpus: [], bootTimeSeconds: undefined });
  });
});

describe('/proc/meminfo', () => {
  const entries = new Map(parseMeminfo(fixture('meminfo')).map((e) => [e.metric, e.value]));

  it.each([
    ['node_memory_MemTotal_bytes', 24684084 * 1024],
    ['node_memory_MemFree_bytes', 23034944 * 1024],
    ['node_memory_MemAvailable_bytes', 23549748 * 1024],
    ['node_memory_Buffers_bytes', 6328 * 1024],
    ['node_memory_Cached_bytes', 680448 * 1024],
    ['node_memory_Active_anon_bytes', 1592 * 1024],
    ['node_memory_HugePages_Total', 0],
  ])('%s = %d', (metric, value) => {
    expect(entries.get(metric)).toBe(value);
  });

  it('reads every field', () => {
    expect(entries.size).toBe(fixture('meminfo').trim().split('\n').length);
  });
});

describe('/proc/loadavg', () => {
  it.each([
    [fixture('loadavg'), { load1: 10.74, load5: 5.67, load15: 2.56 }],
    ['0.00 0.01 0.05 1/100 1\n', { load1: 0, load5: 0.01, load15: 0.05 }],
    ['', undefined],
    ['a b c', undefined],
  ])('%j', (text, want) => {
    expect(parseLoadavg(text)).toEqual(want);
  });
});

describe('/proc/net/dev', () => {
  const devs = parseNetDev(fixture('net/dev'));

  it('reads every interface, skipping the two header lines', () => {
    expect(devs.map((d) => d.device)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0', 'eth1']);
  });

  it('names the 16 columns as node_exporter does', () => {
    const eth1 = devs.find((d) => d.device === 'eth1');
    expect(Object.fromEntries(eth1?.counters ?? [])).toEqual({
      node_network_receive_bytes_total: 1,
      node_network_receive_packets_total: 2,
      node_network_receive_errs_total: 3,
      node_network_receive_drop_total: 4,
      node_network_receive_fifo_total: 5,
      node_network_receive_frame_total: 6,
      node_network_receive_compressed_total: 7,
      node_network_receive_multicast_total: 8,
      node_network_transmit_bytes_total: 9,
      node_network_transmit_packets_total: 10,
      node_network_transmit_errs_total: 11,
      node_network_transmit_drop_total: 12,
      node_network_transmit_fifo_total: 13,
      node_network_transmit_colls_total: 14,
      node_network_transmit_carrier_total: 15,
      node_network_transmit_compressed_total: 16,
    });
    expect(devs.find((d) => d.device === 'eth0')?.counters.get('node_network_receive_bytes_total')).toBe(305547109);
  });
});

describe('/proc/mounts', () => {
  it('keeps real filesystems, drops pseudo ones and those under /dev, /proc, /sys', () => {
    expect(parseMounts(fixture('mounts'))).toEqual([
      { device: '/dev/vda', mountpoint: '/', fstype: 'ext4', readonly: false },
      { device: 'model_tools_unavailable', mountpoint: '/mnt/sandboxing/model_tools_env/v1/python', fstype: 'tmpfs', readonly: true },
      { device: '/dev/vdb', mountpoint: '/mnt/backup disk', fstype: 'xfs', readonly: true },
    ]);
  });

  it.each([
    ['overlay / overlay rw 0 0', []],
    ['/dev/sda1 /var/lib/docker/overlay2/x ext4 rw 0 0', []],
    ['/dev/sda1 /run/credentials/x.service ramfs ro 0 0', []],
    ['/dev/sda1 /data ext4 rw 0 0\n/dev/sdb1 /data xfs rw 0 0', [{ device: '/dev/sdb1', mountpoint: '/data', fstype: 'xfs', readonly: false }]],
    ['/dev/sda1 /tab\\011and\\134slash ext4 rw 0 0', [{ device: '/dev/sda1', mountpoint: '/tab\tand\\slash', fstype: 'ext4', readonly: false }]],
  ])('%j', (text, want) => {
    expect(parseMounts(text)).toEqual(want);
  });
});

describe('netClassMetrics', () => {
  it('reads decimal and 0x numbers, turns Mbit/s into bytes/s, and leaves out what the kernel would not say', () => {
    const { metrics, info } = netClassMetrics({ flags: '0x1003', dev_id: '0x0', speed: '-1', carrier_changes: '2', ifindex: '4', operstate: 'up', address: '02:fc:00:00:00:01', duplex: 'unknown' });
    expect(new Map(metrics.map(([n, , v]) => [n, v]))).toEqual(
      new Map([
        ['node_network_flags', 4099],
        ['node_network_device_id', 0],
        ['node_network_carrier_changes_total', 2],
        ['node_network_iface_id', 4],
        ['node_network_up', 1],
        ['node_network_speed_bytes', -125000],
      ]),
    );
    expect(metrics.find(([n]) => n === 'node_network_carrier_changes_total')?.[1]).toBe('counter');
    expect(info).toEqual({ address: '02:fc:00:00:00:01', broadcast: '', duplex: 'unknown', ifalias: '', operstate: 'up' });
  });

  it('skips values that are not numbers', () => {
    expect(netClassMetrics({ mtu: 'garbage', carrier: '' }).metrics).toEqual([]);
  });
});

describe('netstat and sockstat', () => {
  it('pairs header and value lines, splits snmp6 keys after the 6, and adds bytes to mem pages', () => {
    expect([...parseSnmpTables('Tcp: ActiveOpens CurrEstab\nTcp: 5 2\nUdp: InDatagrams\nUdp: x\n')]).toEqual([['Tcp_ActiveOpens', 5], ['Tcp_CurrEstab', 2]]);
    expect([...parseSnmp6('Ip6InOctets 128\nUdpLite6InErrors 0\nnonsense\n')]).toEqual([['Ip6_InOctets', 128], ['UdpLite6_InErrors', 0]]);
    expect(parseSockstat('sockets: used 41\nTCP: inuse 2 mem 46\n', 4096)).toEqual([
      ['node_sockstat_sockets_used', 41],
      ['node_sockstat_TCP_inuse', 2],
      ['node_sockstat_TCP_mem', 46],
      ['node_sockstat_TCP_mem_bytes', 46 * 4096],
    ]);
    expect(parsePageSize('00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/dbus-daemon\nKernelPageSize:        4 kB\n')).toBe(4096);
  });
});
