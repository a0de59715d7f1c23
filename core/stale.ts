/**
 * Prometheus' staleness marker: a NaN with the bit pattern 0x7ff0000000000002. Scrapers write
 * it when a series disappears; the engine then stops returning the series at once instead of
 * for the whole lookback window.
 *
 * V8 may quiet a signalling NaN when it moves through double arrays (setting bit 51, giving
 * 0x7ff8000000000002), so both patterns count: the payload 2 is what identifies the marker.
 */
const view = new DataView(new ArrayBuffer(8));
const QUIET_BIT = 0x0008000000000000n;
const STALE_BITS = 0x7ff0000000000002n;

export const STALE_NAN: number = (() => {
  view.setBigUint64(0, STALE_BITS);
  return view.getFloat64(0);
})();

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  view.setFloat64(0, v);
  return (view.getBigUint64(0) & ~QUIET_BIT) === STALE_BITS;
}
