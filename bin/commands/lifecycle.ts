import { parseArgs } from 'node:util';
import { createLogger } from '../../core/index.js';
import type { Command, CommandMap } from './command.js';
import { runStart } from './platform.js';

const io = { out: (t: string): void => void process.stdout.write(t), err: (t: string): void => void process.stderr.write(t) };

/** Resolves on SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * A standalone director is the platform with only the director role: the same listener, loopback
 * default, authentication, TLS and audit as `vigil start`, so there is no second, unguarded API.
 */
const director: Command = {
  summary: 'Run a standalone director (`vigil start --roles director`): vigil director [--config FILE] [--http-port N] [--data-dir DIR] [--cpi process|dummy] [--auth]',
  run: (args) => {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(
        'usage: vigil director [flags]\n\nThe platform with only the director role: `vigil start --roles director`, with the same\n' +
          'listener guard, --auth, TLS and audit log. It takes every flag of `vigil start` (shown below).\n\n',
      );
      return runStart(['--help']);
    }
    return runStart(['--roles', 'director', ...args]);
  },
};

const vmAgent: Command = {
  summary: 'Run the lifecycle agent of one VM (started by the process CPI): vigil vm-agent --settings FILE',
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { settings: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help === true) {
      io.out(
        'usage: vigil vm-agent --settings FILE\n\nThe lifecycle agent of one VM: the process CPI starts it with the settings file it wrote\n' +
          '(who the VM is, its IP and port, its director, its credential). Not to be run by hand.\n\n' +
          'environment:\n  VIGIL_LOG_LEVEL   fatal|error|warn|info|debug|trace|silent (default info)\n  VIGIL_VM_CID      set by the CPI: the VM this agent serves\n',
      );
      return 0;
    }
    if (values.settings === undefined) {
      io.err('vigil vm-agent: --settings FILE is required\n');
      return 2;
    }
    // Only the agent's own module: a VM should not load the director, its database or fastify.
    const { startAgent } = await import('../../lifecycle/agent/index.js');
    const logger = createLogger(process.env['VIGIL_LOG_LEVEL'] ?? 'info');
    const running = await startAgent({ settingsFile: values.settings, logger });
    await untilSignal();
    await running.shutdown();
    return 0;
  },
};

function lazy(name: string, summary: string): Command {
  return {
    summary,
    async run(args) {
      const { lifecycleCli } = await import('../../lifecycle/cli/index.js');
      const c = lifecycleCli[name];
      if (c === undefined) throw new Error(`no lifecycle command ${name}`);
      return c.run(args, io);
    },
  };
}

const clientCommands: Readonly<Record<string, string>> = {
  deploy: 'Deploy a manifest: vigil deploy -d NAME manifest.yml [--dry-run]',
  deployments: 'List deployments',
  instances: 'List instances of a deployment: vigil instances -d NAME [--json]',
  tasks: 'List running tasks, or recent ones with --recent',
  task: 'Show (and follow) a task: vigil task ID',
  recreate: 'Recreate instances: vigil recreate -d NAME [GROUP[/INDEX]]',
  restart: 'Restart jobs of instances: vigil restart -d NAME [GROUP[/INDEX]]',
  stop: 'Stop jobs of instances (VMs stay): vigil stop -d NAME [GROUP[/INDEX]]',
  'start-instances': "Start stopped instances (bosh's start): vigil start-instances -d NAME [GROUP[/INDEX]]",
  'delete-deployment': 'Delete a deployment with its VMs and disks: vigil delete-deployment -d NAME',
  'upload-release': 'Upload a release directory or tarball: vigil upload-release PATH',
  'create-release': 'Write the checksums of a release directory into its release.yml: vigil create-release DIR',
  releases: 'List uploaded releases',
  audit: 'Show the audit log of lifecycle actions: vigil audit [--limit N] [--before ID] [--json]',
  cck: 'Cloud check: vigil cck -d NAME [--auto | --resolution PROBLEM=RESOLUTION]',
};

/** The bosh-style lifecycle commands. They talk to the director at VIGIL_URL (default http://127.0.0.1:8470). */
export const lifecycleCommands: CommandMap = {
  ...Object.fromEntries(Object.entries(clientCommands).map(([n, s]) => [n, lazy(n, s)])),
  director,
  'vm-agent': vmAgent,
};
