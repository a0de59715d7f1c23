import { quote, VigilError } from '../../core/index.js';

/** The remote-write protocol version this receiver speaks, sent back on every answer. */
export const REMOTE_WRITE_VERSION = '0.1.0';

/** Remote write 2.0's message (io.prometheus.write.v2.Request): refused with 415, so that a 2.0 sender falls back. */
const V2_PROTO = 'io.prometheus.write.v2.request';

/**
 * Checks the headers of a remote-write 1.0 request, as the specification asks of a receiver:
 * `Content-Type: application/x-protobuf` (optionally `;proto=prometheus.WriteRequest`),
 * `Content-Encoding: snappy`, and `X-Prometheus-Remote-Write-Version` 0.1.x when present
 * (Prometheus always sends it; other 1.0 clients sometimes do not). Throws a VigilError naming
 * the header: 415 for a format this receiver does not read (so the sender does not retry it), 400
 * for a version header that is not one.
 */
export function checkRemoteWriteHeaders(headers: { readonly contentType?: string; readonly contentEncoding?: string; readonly version?: string }): void {
  const { contentType, contentEncoding, version } = headers;
  const [media = '', ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (media !== 'application/x-protobuf') {
    const got = contentType === undefined ? 'no Content-Type' : `Content-Type ${quote(contentType)}`;
    throw new VigilError('unsupported_media_type', `${got}: remote write sends application/x-protobuf`);
  }
  const proto = params.find((p) => p.startsWith('proto='))?.slice('proto='.length);
  if (proto !== undefined && proto !== 'prometheus.writerequest') {
    const hint = proto === V2_PROTO ? ': remote write 2.0 is not supported yet, send 1.0 (protobuf_message: prometheus.WriteRequest)' : '';
    throw new VigilError('unsupported_media_type', `unsupported protobuf message ${quote(proto)}${hint}`);
  }
  if ((contentEncoding ?? '').trim().toLowerCase() !== 'snappy') {
    const got = contentEncoding === undefined ? 'no Content-Encoding' : `Content-Encoding ${quote(contentEncoding)}`;
    throw new VigilError('unsupported_media_type', `${got}: remote write bodies are snappy-compressed (Content-Encoding: snappy)`);
  }
  if (version !== undefined) {
    const v = version.trim();
    if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new VigilError('bad_data', `X-Prometheus-Remote-Write-Version ${quote(version)} is not a version number`);
    if (!v.startsWith('0.1')) throw new VigilError('unsupported_media_type', `remote write version ${quote(v)} is not supported: this receiver speaks ${REMOTE_WRITE_VERSION} (remote write 1.0)`);
  }
}
