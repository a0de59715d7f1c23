import { ShutdownError } from '../director/taskQueue.js';

/** Sleeps, but wakes early with ShutdownError when the director stops. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ShutdownError());
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new ShutdownError());
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    t.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
