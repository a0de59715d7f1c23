import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  /** The body's first maxAnswerBytes bytes, as text. */
  readonly text: string;
}

const keepAlive = { http: new http.Agent({ keepAlive: true, maxSockets: 1 }), https: new https.Agent({ keepAlive: true, maxSockets: 1 }) };

/**
 * One POST with node:http(s) rather than fetch: the agent sends a request every few seconds at
 * most, and undici (behind fetch) costs ~10 MB of resident memory the agent's budget does not
 * have. Rejects on connection errors, on `timeoutMs` without an answer and on `signal`; reads at
 * most maxAnswerBytes of the answer.
 */
export function httpPost(url: URL, headers: Record<string, string>, body: Uint8Array, timeoutMs: number, signal: AbortSignal, maxAnswerBytes = 64 * 1024): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.byteLength) }, agent: secure ? keepAlive.https : keepAlive.http, signal, timeout: timeoutMs });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < maxAnswerBytes) chunks.push(c);
        size += c.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text: Buffer.concat(chunks).subarray(0, maxAnswerBytes).toString('utf8') });
      });
    });
    req.end(body);
  });
}
