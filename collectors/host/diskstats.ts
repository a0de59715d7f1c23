/**
 * /proc/diskstats as node_exporter's diskstats collector names it. Partitions, loop, ram and
 * floppy devices are left out, as node_exporter's default device filter does. Times are
 * milliseconds in the file and seconds in the metrics; sectors are 512 bytes whatever the
 * device's block size (the kernel's unit for this file). Pure.
 */
export const ignoredDisks = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

export interface DiskStat {
  readonly device: string;
  /** Metric name → value, counters and the one gauge (node_disk_io_now). */
  readonly values: ReadonlyMap<string, number>;
}

const SECTOR_BYTES = 512;

/** Column (0 = the first after the device name) → metric name and the factor to its unit. */
const columns: readonly (readonly [number, string, number])[] = [
  [0, 'node_disk_reads_completed_total', 1],
  [1, 'node_disk_reads_merged_total', 1],
  [2, 'node_disk_read_bytes_total', SECTOR_BYTES],
  [3, 'node_disk_read_time_seconds_total', 0.001],
  [4, 'node_disk_writes_completed_total', 1],
  [5, 'node_disk_writes_merged_total', 1],
  [6, 'node_disk_written_bytes_total', SECTOR_BYTES],
  [7, 'node_disk_write_time_seconds_total', 0.001],
  [8, 'node_disk_io_now', 1],
  [9, 'node_disk_io_time_seconds_total', 0.001],
  [10, 'node_disk_io_time_weighted_seconds_total', 0.001],
  // Linux 4.18+: discards.
  [11, 'node_disk_discards_completed_total', 1],
  [12, 'node_disk_discards_merged_total', 1],
  [13, 'node_disk_discarded_sectors_total', 1],
  [14, 'node_disk_discard_time_seconds_total', 0.001],
  // Linux 5.5+: flushes.
  [15, 'node_disk_flush_requests_total', 1],
  [16, 'node_disk_flush_requests_time_seconds_total', 0.001],
];

export const diskHelp: Readonly<Record<string, string>> = {
  node_disk_reads_completed_total: 'The total number of reads completed successfully.',
  node_disk_reads_merged_total: 'The total number of reads merged.',
  node_disk_read_bytes_total: 'The total number of bytes read successfully.',
  node_disk_read_time_seconds_total: 'The total number of seconds spent by all reads.',
  node_disk_writes_completed_total: 'The total number of writes completed successfully.',
  node_disk_writes_merged_total: 'The number of writes merged.',
  node_disk_written_bytes_total: 'The total number of bytes written successfully.',
  node_disk_write_time_seconds_total: 'This is the total number of seconds spent by all writes.',
  node_disk_io_now: 'The number of I/Os currently in progress.',
  node_disk_io_time_seconds_total: 'Total seconds spent doing I/Os.',
  node_disk_io_time_weighted_seconds_total: 'The weighted # of seconds spent doing I/Os.',
  node_disk_discards_completed_total: 'The total number of discards completed successfully.',
  node_disk_discards_merged_total: 'The total number of discards merged.',
  node_disk_discarded_sectors_total: 'The total number of sectors discarded successfully.',
  node_disk_discard_time_seconds_total: 'This is the total number of seconds spent by all discards.',
  node_disk_flush_requests_total: 'The total number of flush requests completed successfully',
  node_disk_flush_requests_time_seconds_total: 'This is the total number of seconds spent by all flush requests.',
};

export function parseDiskstats(text: string): DiskStat[] {
  const out: DiskStat[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    const device = parts[2];
    if (device === undefined || ignoredDisks.test(device)) continue;
    const numbers = parts.slice(3).map(Number);
    if (numbers.length < 11 || numbers.some(Number.isNaN)) continue;
    const values = new Map<string, number>();
    for (const [i, name, factor] of columns) {
      const v = numbers[i];
      if (v !== undefined) values.set(name, v * factor);
    }
    out.push({ device, values });
  }
  return out;
}
