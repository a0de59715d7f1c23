import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { agentServer } from '../../lifecycle/agent/index.js';

/** The VM agent's own HTTP face refuses bad bodies with a short 4xx, like every other API. */
let server: Server;
let url: string;
beforeAll(async () => {
  // The agent is never reached: each body fails before /apply uses it.
  server = agentServer({} as never, 'agent-secret');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('agent API: bad bodies', () => {
  it.each([
    ['deep nesting', '['.repeat(100_000), 400, 'nesting deeper than 64 levels'],
    ['1 MB of bad JSON', `{"a":${'x'.repeat(1 << 20)}`, 400, 'malformed JSON body'],
  ])('%s → %d, under 1 KB', async (_name, body, status, message) => {
    const res = await fetch(`${url}/apply`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer agent-secret' } });
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(text.length).toBeLessThan(1024);
    expect(text).toContain(message);
  });
});
