/**
 * Entry point of a decode worker thread (started by DecodePool): decodes each request it is
 * sent with decodeOtlp or prepareRemoteWrite and posts back the prepared write, its record buffers transferred.
 */
import { parentPort } from 'node:worker_threads';
import type { DecodeReplyMessage, DecodeRequestMessage } from './decodeWorkerProtocol.js';
import { toWireError, transferablesOf } from './decodeWorkerProtocol.js';
import { prepareRemoteWrite } from '../remotewrite/remoteWriteTask.js';
import { decodeOtlp } from './otlpDecode.js';

const port = parentPort;
if (port === null) throw new Error('decodeWorker must run in a worker thread');

async function handle(message: DecodeRequestMessage): Promise<void> {
  let reply: DecodeReplyMessage;
  let transfer: ArrayBuffer[] = [];
  try {
    const { task } = message;
    const prepared = 'protocol' in task ? prepareRemoteWrite(task) : await decodeOtlp(task);
    transfer = transferablesOf(prepared);
    reply = { id: message.id, prepared };
  } catch (err) {
    reply = { id: message.id, error: toWireError(err) };
  }
  try {
    port?.postMessage(reply, transfer);
  } catch (err) {
    port?.postMessage({ id: message.id, error: toWireError(err) } satisfies DecodeReplyMessage);
  }
}

port.on('message', (message: DecodeRequestMessage) => {
  void handle(message);
});
