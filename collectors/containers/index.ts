export { collectContainers } from './collectContainers.js';
export type { CollectContainersOptions, ContainerCollection } from './collectContainers.js';
export { parseCgroupPath } from './cgroupPath.js';
export type { ContainerRef } from './cgroupPath.js';
export { parseCpuMax, parseFlatKeyed, parseIoStat, parseSingleValue } from './cgroupFiles.js';
export type { IoStatLine } from './cgroupFiles.js';
