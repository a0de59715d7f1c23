/**
 * /proc/mounts, filtered to the filesystems node_exporter reports by default: pseudo
 * filesystems (proc, sysfs, cgroup, overlay, …) and mounts under /dev, /proc, /sys and
 * container runtimes' storage are left out. A mount point mounted twice counts once (the last,
 * visible, mount). Pure.
 */
export interface Mount {
  readonly device: string;
  readonly mountpoint: string;
  readonly fstype: string;
  readonly readonly: boolean;
}

const ignoredFsTypes =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$/;
const ignoredMountPoints = /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/** The kernel escapes space, tab, newline and backslash in mount fields as octal (\040). */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): Mount[] {
  const byMountpoint = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [device, mountpoint, fstype, options] = line.trim().split(/\s+/);
    if (device === undefined || mountpoint === undefined || fstype === undefined || options === undefined) continue;
    const mount: Mount = {
      device: unescapeOctal(device),
      mountpoint: unescapeOctal(mountpoint),
      fstype,
      readonly: options.split(',').includes('ro'),
    };
    if (ignoredFsTypes.test(mount.fstype) || ignoredMountPoints.test(mount.mountpoint)) continue;
    byMountpoint.delete(mount.mountpoint); // re-insert so iteration order follows the last mount
    byMountpoint.set(mount.mountpoint, mount);
  }
  return [...byMountpoint.values()];
}
