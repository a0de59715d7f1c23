export { startAgent } from './main.js';
export type { RunningAgent, AgentOptions } from './main.js';
export { HttpAgentTransport } from './httpClient.js';
export type { AgentAddress, AgentClient, AgentDirectory, AgentState, AgentTransport, ApplySpec, ApplyPackage, ProcessStatus } from './protocol.js';
export { SupervisedProcess } from './supervisor.js';
export type { SupervisedProcessOptions } from './supervisor.js';
export { agentServer } from './server.js';
