import type { AgentClient, AgentState, AgentTransport, ApplySpec } from './protocol.js';

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<AgentState> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as unknown;
  if (!res.ok) {
    const msg = (body as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`;
    throw new Error(`agent at ${url}: ${msg}`);
  }
  return body as AgentState;
}

/** Reaches each VM's agent over HTTP on the VM's own IP and the common agent port. */
export class HttpAgentTransport implements AgentTransport {
  constructor(private readonly port: number) {}

  client(vm: { readonly agentId: string; readonly ip: string; readonly vmCid: string }): AgentClient {
    const base = `http://${vm.ip}:${this.port}`;
    return {
      getState: (timeoutMs = 2000) => call(`${base}/state`, { method: 'GET' }, timeoutMs),
      apply: (spec: ApplySpec) =>
        call(`${base}/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) }, 60_000),
    };
  }
}
