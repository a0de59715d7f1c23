import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { capMessage, httpStatusOf, isVigilError, parseJsonSafely, VigilError } from '../../core/index.js';
import type { Agent } from './agent.js';
import type { ApplySpec } from './protocol.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An apply spec is a few KiB; anything near this is not one. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The JSON body, size- and depth-limited: bad bodies are 4xx VigilErrors, not 500s. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of req) {
    bytes += (c as Buffer).length;
    if (bytes > MAX_BODY_BYTES) throw new VigilError('payload_too_large', `request body is larger than the limit of ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  return parseJsonSafely(Buffer.concat(chunks).toString('utf8'));
}

/** The agent's HTTP face on the VM's own IP: GET /state, POST /apply. Loopback only, no auth. */
export function agentServer(agent: Agent): Server {
  return createServer((req, res) => {
    const handle = async (): Promise<void> => {
      if (req.method === 'GET' && req.url === '/state') return send(res, 200, agent.state());
      if (req.method === 'POST' && req.url === '/apply') return send(res, 200, await agent.apply((await readBody(req)) as ApplySpec));
      send(res, 404, { error: { code: 'not_found', message: capMessage(`${req.method ?? ''} ${req.url ?? ''}`, 300) } });
    };
    handle().catch((err: unknown) => {
      if (isVigilError(err)) send(res, httpStatusOf(err.code), { error: { code: err.code, message: capMessage(err.message) } });
      else send(res, 500, { error: { code: 'internal', message: capMessage((err as Error).message) } });
    });
  });
}
