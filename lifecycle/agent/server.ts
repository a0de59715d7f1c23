import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Agent } from './agent.js';
import type { ApplySpec } from './protocol.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** The agent's HTTP face on the VM's own IP: GET /state, POST /apply. Loopback only, no auth. */
export function agentServer(agent: Agent): Server {
  return createServer((req, res) => {
    const handle = async (): Promise<void> => {
      if (req.method === 'GET' && req.url === '/state') return send(res, 200, agent.state());
      if (req.method === 'POST' && req.url === '/apply') return send(res, 200, await agent.apply((await readBody(req)) as ApplySpec));
      send(res, 404, { error: { code: 'not_found', message: `${req.method ?? ''} ${req.url ?? ''}` } });
    };
    handle().catch((err: unknown) => send(res, 500, { error: { code: 'internal', message: (err as Error).message } }));
  });
}
