import { z } from 'zod';
import { VigilError } from '../../core/index.js';
import type { CpiMethod, CpiProtocol, CreateVmArgs } from './protocol.js';

const envelope = z
  .object({
    result: z.unknown(),
    error: z.object({ type: z.string(), message: z.string(), ok_to_retry: z.boolean() }).strict().nullable(),
    log: z.string(),
  })
  .strict();

/** A CPI call that failed: carries the CPI's error type and whether a retry is safe. */
export class CpiCallError extends VigilError {
  readonly type: string;
  readonly okToRetry: boolean;
  constructor(method: string, type: string, message: string, okToRetry: boolean) {
    super('internal', `CPI ${method} failed: ${type}: ${message}`);
    this.type = type;
    this.okToRetry = okToRetry;
  }
}

const resultSchemas: Record<CpiMethod, z.ZodType> = {
  create_vm: z.string().min(1),
  delete_vm: z.null(),
  has_vm: z.boolean(),
  reboot_vm: z.null(),
  set_vm_metadata: z.null(),
  create_disk: z.string().min(1),
  attach_disk: z.null(),
  detach_disk: z.null(),
  delete_disk: z.null(),
  has_disk: z.boolean(),
};

/**
 * The director's view of a CPI: typed methods over the raw protocol. Every answer is checked against the
 * envelope and the method's result type; errors marked ok_to_retry are retried a bounded number of times.
 */
export class CheckedCpi {
  constructor(
    private readonly cpi: CpiProtocol,
    private readonly retries = 2,
    private readonly retryDelayMs = 200,
  ) {}

  private async call<T>(method: CpiMethod, args: readonly unknown[]): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const raw = await this.cpi.call(method, args);
      const env = envelope.safeParse(raw);
      if (!env.success) throw new CpiCallError(method, 'InvalidResponse', `answer does not follow the CPI envelope: ${env.error.message}`, false);
      const { error, result } = env.data;
      if (error !== null) {
        if (error.ok_to_retry && attempt < this.retries) {
          await new Promise((r) => setTimeout(r, this.retryDelayMs * (attempt + 1)).unref());
          continue;
        }
        throw new CpiCallError(method, error.type, error.message, error.ok_to_retry);
      }
      const typed = resultSchemas[method].safeParse(result ?? null);
      if (!typed.success) throw new CpiCallError(method, 'InvalidResponse', `unexpected result ${JSON.stringify(result)}`, false);
      return typed.data as T;
    }
  }

  createVm(args: CreateVmArgs): Promise<string> {
    return this.call('create_vm', [args]);
  }
  deleteVm(vmCid: string): Promise<null> {
    return this.call('delete_vm', [vmCid]);
  }
  hasVm(vmCid: string): Promise<boolean> {
    return this.call('has_vm', [vmCid]);
  }
  rebootVm(vmCid: string): Promise<null> {
    return this.call('reboot_vm', [vmCid]);
  }
  setVmMetadata(vmCid: string, metadata: Readonly<Record<string, string>>): Promise<null> {
    return this.call('set_vm_metadata', [vmCid, metadata]);
  }
  createDisk(sizeMb: number, vmCid: string | null): Promise<string> {
    return this.call('create_disk', [sizeMb, {}, vmCid]);
  }
  attachDisk(vmCid: string, diskCid: string): Promise<null> {
    return this.call('attach_disk', [vmCid, diskCid]);
  }
  detachDisk(vmCid: string, diskCid: string): Promise<null> {
    return this.call('detach_disk', [vmCid, diskCid]);
  }
  deleteDisk(diskCid: string): Promise<null> {
    return this.call('delete_disk', [diskCid]);
  }
  hasDisk(diskCid: string): Promise<boolean> {
    return this.call('has_disk', [diskCid]);
  }
}
