import type { InstanceAction } from '../planner/index.js';
import { applySpec, createVm, deleteInstance, deleteVm, ensureDisk, recordInstance, stopJobs, waitRunning } from './steps.js';
import type { Step } from './steps.js';

/** Operator and healer actions beyond what a deploy plans. */
export type InstanceCommand = 'recreate' | 'restart' | 'stop' | 'start';

/** Steps that bring a new instance's VM up before any job runs (BOSH creates missing VMs first, in parallel). */
export const createVmSteps: readonly Step[] = [recordInstance, deleteVm, createVm, ensureDisk];

/** The step sequence for each planned action, least disruptive first. */
export function stepsForAction(action: InstanceAction | 'delete'): readonly Step[] {
  switch (action) {
    case 'create':
      return [recordInstance, createVm, ensureDisk, applySpec('desired'), waitRunning];
    case 'recreate':
      return [stopJobs, deleteVm, createVm, ensureDisk, applySpec('desired'), waitRunning];
    case 'update':
      return [ensureDisk, applySpec('desired'), waitRunning];
    case 'start':
      return [applySpec('started'), waitRunning];
    case 'stop':
      return [applySpec('stopped')];
    case 'delete':
      return [stopJobs, deleteVm, deleteInstance];
    case 'none':
      return [];
  }
}

export function stepsForCommand(cmd: InstanceCommand): readonly Step[] {
  switch (cmd) {
    case 'recreate':
      return [stopJobs, deleteVm, createVm, ensureDisk, applySpec('desired'), waitRunning];
    case 'restart':
      return [applySpec('stopped'), applySpec('started'), waitRunning];
    case 'stop':
      return [applySpec('stopped')];
    case 'start':
      return [applySpec('started'), waitRunning];
  }
}
