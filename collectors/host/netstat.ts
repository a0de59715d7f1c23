/**
 * Network protocol counters and socket counts as node_exporter's netstat and sockstat collectors
 * name them. Pure parsers.
 *
 * /proc/net/netstat and /proc/net/snmp come in line pairs, a header and its values:
 *   Tcp: RtoAlgorithm RtoMin … CurrEstab …
 *   Tcp: 1 200 … 2 …
 * /proc/net/snmp6 has one "Udp6InDatagrams 0" per line (protocol up to and including the "6").
 * Only the fields node_exporter keeps by default become node_netstat_<Protocol>_<Field>.
 */
export const netstatFields =
  /^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$/;

/** `Protocol_Field` → value, from /proc/net/netstat or /proc/net/snmp. */
export function parseSnmpTables(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [proto, ...names] = (lines[i] as string).trim().split(/\s+/);
    const [proto2, ...values] = (lines[i + 1] as string).trim().split(/\s+/);
    if (proto === undefined || proto !== proto2 || !proto.endsWith(':')) continue;
    names.forEach((name, k) => {
      const v = Number(values[k]);
      if (!Number.isNaN(v)) out.set(`${proto.slice(0, -1)}_${name}`, v);
    });
  }
  return out;
}

/** `Protocol6_Field` → value, from /proc/net/snmp6. */
export function parseSnmp6(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key === undefined || value === undefined) continue;
    const six = key.indexOf('6');
    const v = Number(value);
    if (six > 0 && !Number.isNaN(v)) out.set(`${key.slice(0, six + 1)}_${key.slice(six + 1)}`, v);
  }
  return out;
}

/**
 * /proc/net/sockstat and sockstat6: "TCP: inuse 2 orphan 0 tw 12 alloc 2 mem 46" →
 * node_sockstat_TCP_inuse …; "mem" is in pages, so TCP and UDP also get _mem_bytes.
 */
export function parseSockstat(text: string, pageSize: number): [string, number][] {
  const out: [string, number][] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const proto = line.slice(0, colon);
    const parts = line.slice(colon + 1).trim().split(/\s+/);
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const v = Number(parts[i + 1]);
      if (Number.isNaN(v)) continue;
      out.push([`node_sockstat_${proto}_${parts[i] as string}`, v]);
      if (parts[i] === 'mem') out.push([`node_sockstat_${proto}_mem_bytes`, v * pageSize]);
    }
  }
  return out;
}

/** The kernel's page size, from the first mapping in /proc/self/smaps ("KernelPageSize: 4 kB"). */
export function parsePageSize(smapsHead: string): number | undefined {
  const m = /^KernelPageSize:\s+(\d+) kB/m.exec(smapsHead);
  return m === null ? undefined : Number(m[1]) * 1024;
}
