import type { AgentAddress, AgentClient, AgentState, AgentTransport, ApplySpec } from './protocol.js';

/** Longest error text taken from an agent's answer into the director's messages. */
const MAX_ERROR = 500;

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<AgentState> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) {
    const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new Error(`agent at ${url}: ${res.status === 401 ? 'refused the director\'s credential (401): ' : ''}${msg.slice(0, MAX_ERROR)}`);
  }
  if (body === null) throw new Error(`agent at ${url}: answered ${res.status} with a body that is not JSON`);
  return body as AgentState;
}

/**
 * Reaches each VM's agent over HTTP on the VM's own IP and the common agent port, presenting the VM's
 * credential as a bearer token.
 */
export class HttpAgentTransport implements AgentTransport {
  constructor(private readonly port: number) {}

  client(vm: AgentAddress & { readonly secret: string }): AgentClient {
    const base = `http://${vm.ip}:${this.port}`;
    const authorization = `Bearer ${vm.secret}`;
    return {
      getState: (timeoutMs = 2000) => call(`${base}/state`, { method: 'GET', headers: { authorization } }, timeoutMs),
      apply: (spec: ApplySpec) =>
        call(`${base}/apply`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(spec) }, 60_000),
    };
  }
}
