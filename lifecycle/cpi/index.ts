export { CheckedCpi, CpiCallError } from './checked.js';
export { ok, fail } from './protocol.js';
export type { CpiProtocol, CpiResponse, CpiError, CpiMethod, CreateVmArgs, VmNetworks } from './protocol.js';
export { DummyCpi } from './dummy/dummyCpi.js';
export type { DummyVm, CpiCall } from './dummy/dummyCpi.js';
export { ProcessCpi } from './process/processCpi.js';
export type { ProcessCpiOptions, AgentSettings } from './process/processCpi.js';
export { isAlive, killGroup } from './process/processTree.js';
