import { quote, VigilError } from '../../core/index.js';

/** The remote-write protocol versions this receiver speaks, as the version header names them. */
export const REMOTE_WRITE_VERSION = '0.1.0';
export const REMOTE_WRITE_V2_VERSION = '2.0.0';

/** Which message a request carries: 1 = prometheus.WriteRequest, 2 = io.prometheus.write.v2.Request. */
export type RemoteWriteMessage = 1 | 2;

const PROTOS: Readonly<Record<string, RemoteWriteMessage>> = { 'prometheus.writerequest': 1, 'io.prometheus.write.v2.request': 2 };

/**
 * Checks the headers of a remote-write request, as the specifications ask of a receiver, and
 * says which message the body is: `Content-Type: application/x-protobuf`, its `proto=` parameter
 * naming the message (absent: 1.0's prometheus.WriteRequest; 2.0 senders name
 * io.prometheus.write.v2.Request), `Content-Encoding: snappy`, and
 * `X-Prometheus-Remote-Write-Version` when present a version of 0.1.x or 2.x (the content type,
 * not this header, decides the message). Throws a VigilError naming the header: 415 for what
 * this receiver does not read (so the sender does not retry it, and a 2.0 sender falls back to
 * 1.0), 400 for a version header that is not a version.
 */
export function checkRemoteWriteHeaders(headers: { readonly contentType?: string; readonly contentEncoding?: string; readonly version?: string }): RemoteWriteMessage {
  const { contentType, contentEncoding, version } = headers;
  const [media = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (media !== 'application/x-protobuf') {
    const got = contentType === undefined ? 'no Content-Type' : `Content-Type ${quote(contentType)}`;
    throw new VigilError('unsupported_media_type', `${got}: remote write sends application/x-protobuf`);
  }
  const proto = params.find((p) => p.startsWith('proto='))?.slice('proto='.length);
  const message = proto === undefined ? 1 : PROTOS[proto];
  if (message === undefined) {
    throw new VigilError('unsupported_media_type', `unsupported protobuf message ${quote(proto ?? '')}: send prometheus.WriteRequest (1.0) or io.prometheus.write.v2.Request (2.0)`);
  }
  if ((contentEncoding ?? '').trim().toLowerCase() !== 'snappy') {
    const got = contentEncoding === undefined ? 'no Content-Encoding' : `Content-Encoding ${quote(contentEncoding)}`;
    throw new VigilError('unsupported_media_type', `${got}: remote write bodies are snappy-compressed (Content-Encoding: snappy)`);
  }
  if (version !== undefined) {
    const v = version.trim();
    if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new VigilError('bad_data', `X-Prometheus-Remote-Write-Version ${quote(version)} is not a version number`);
    if (!v.startsWith('0.1') && !v.startsWith('2.')) {
      throw new VigilError('unsupported_media_type', `remote write version ${quote(v)} is not supported: this receiver speaks ${REMOTE_WRITE_VERSION} (1.0) and ${REMOTE_WRITE_V2_VERSION}`);
    }
  }
  return message;
}
