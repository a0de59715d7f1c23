/**
 * The Cloud Provider Interface: the only way the director touches infrastructure. Every call answers with
 * one envelope; `ok_to_retry` tells the director whether repeating the call is safe.
 */
export interface CpiError {
  readonly type: string;
  readonly message: string;
  readonly ok_to_retry: boolean;
}

export interface CpiResponse {
  readonly result: unknown;
  readonly error: CpiError | null;
  /** Free text the CPI wants in the director's debug log. */
  readonly log: string;
}

export type CpiMethod =
  | 'create_vm'
  | 'delete_vm'
  | 'has_vm'
  | 'reboot_vm'
  | 'set_vm_metadata'
  | 'create_disk'
  | 'attach_disk'
  | 'detach_disk'
  | 'delete_disk'
  | 'has_disk';

/** Network settings for one VM: the only network kind is a static loopback IP. */
export type VmNetworks = Readonly<Record<string, { readonly ip: string }>>;

export interface CreateVmArgs {
  readonly agent_id: string;
  readonly cloud_properties: Readonly<Record<string, unknown>>;
  readonly networks: VmNetworks;
  readonly disk_cids: readonly string[];
  readonly env: Readonly<Record<string, unknown>>;
  /**
   * The agent's credential (BOSH's per-VM agent credentials): the agent demands it from the director and
   * presents it with its heartbeats. A CPI writes it only where the agent alone can read it, never logs it.
   */
  readonly agent_secret: string;
}

/**
 * A CPI implementation: one entry point taking the method name and positional arguments, as on the wire.
 * Must never throw: failures are answered in the envelope. Safe to call concurrently.
 */
export interface CpiProtocol {
  call(method: CpiMethod, args: readonly unknown[]): Promise<CpiResponse>;
}

export function ok(result: unknown, log = ''): CpiResponse {
  return { result, error: null, log };
}

export function fail(type: string, message: string, okToRetry = false): CpiResponse {
  return { result: null, error: { type, message, ok_to_retry: okToRetry }, log: '' };
}
