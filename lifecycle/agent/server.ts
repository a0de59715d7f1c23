import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { capMessage, httpStatusOf, isVigilError, parseJsonSafely, presentedSecret, quote, secretsEqual } from '../../core/index.js';
import type { Agent } from './agent.js';
import { BadSpecError, parseApplySpec } from './applySpecSchema.js';

/** Largest /apply body: packages travel base64 inside the spec, so this is generous but bounded. */
export const MAX_APPLY_BYTES = 64 * 1024 * 1024;

/** An answer with its status, thrown from anywhere in a handler. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'payload_too_large', `body of ${declared} bytes is over the ${limit}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `body is over the ${limit}-byte limit`);
    chunks.push(c as Buffer);
  }
  // Depth-checked before parsing (a 400 naming the path, never a stack overflow); errors quote ≤ ~200 bytes.
  return parseJsonSafely(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The agent's HTTP face on the VM's own IP: GET /state, POST /apply. Every request must carry the VM's
 * credential (`Authorization: Bearer <agent_secret>`), so a process that merely reaches the port cannot
 * make the agent run anything. Bodies are bounded; bad input is a 4xx that never echoes more than ~200 bytes.
 */
export function agentServer(agent: Agent, secret: string, opts: { maxBodyBytes?: number } = {}): Server {
  if (secret.length === 0) throw new Error('the agent server needs a secret');
  const limit = opts.maxBodyBytes ?? MAX_APPLY_BYTES;
  return createServer((req, res) => {
    const handle = async (): Promise<void> => {
      const presented = presentedSecret(req.headers.authorization);
      if (presented === undefined || !secretsEqual(presented, secret)) {
        // Unread bodies are not drained: the connection closes after the answer.
        res.setHeader('connection', 'close');
        throw new HttpError(401, 'unauthorized', 'this agent answers only its director: send Authorization: Bearer <the VM\'s agent secret>');
      }
      if (req.method === 'GET' && req.url === '/state') return send(res, 200, agent.state());
      if (req.method === 'POST' && req.url === '/apply') return send(res, 200, await agent.apply(parseApplySpec(await readJson(req, limit))));
      throw new HttpError(404, 'not_found', `no route ${quote(`${req.method ?? ''} ${req.url ?? ''}`, 100)}`);
    };
    handle().catch((err: unknown) => {
      const e =
        err instanceof HttpError
          ? err
          : isVigilError(err)
            ? new HttpError(httpStatusOf(err.code), err.code, err.message)
            : err instanceof BadSpecError ? new HttpError(400, 'bad_data', err.message) : new HttpError(500, 'internal', (err as Error).message.slice(0, 500));
      if (res.headersSent) return void res.destroy();
      if (e.status === 413) res.setHeader('connection', 'close');
      send(res, e.status, { error: { code: e.code, message: capMessage(e.message) } }, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    });
  });
}
