import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessDirector, onPath, run } from './processRig.js';
import { repoRoot } from './support.js';

/**
 * Stretch: Vigil provisions a real Kubernetes API (etcd + kube-apiserver built from the Go module proxy)
 * with KWOK faking three nodes. The binaries take minutes to build, so this file runs only once
 * examples/kubernetes/build-kube-apiserver.sh has put them in examples/kubernetes/bin/.
 */
const bin = join(repoRoot, 'examples', 'kubernetes', 'bin');
const built = ['kube-apiserver', 'kwok', 'kwok-stages.yaml'].every((f) => existsSync(join(bin, f))) && onPath('etcd');
if (!built) console.warn(`kubernetes e2e skipped: run examples/kubernetes/build-kube-apiserver.sh first (needs Go and the module proxy) and .ci/install-etcd.sh`);

describe.skipIf(!built)('a Kubernetes control plane provisioned by the director', () => {
  const rig = new ProcessDirector({
    VIGIL_DIRECTOR__NETWORK: '127.77.1.0/24',
    VIGIL_DIRECTOR__HEARTBEAT_TIMEOUT_MS: '10000',
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
  });

  beforeAll(async () => {
    await rig.start();
  }, 60_000);
  afterAll(() => rig.kill());

  async function kube(token: string, path: string): Promise<{ status: number; body: string }> {
    try {
      const { stdout } = await run('curl', ['-ks', '-m', '5', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${token}`, `https://127.77.1.3:6443${path}`]);
      const cut = stdout.lastIndexOf('\n');
      return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
    } catch {
      return { status: 0, body: '' };
    }
  }

  it('deploys etcd + kube-apiserver + KWOK; the API serves three Ready nodes', async () => {
    for (const r of ['examples/etcd/release', 'examples/kubernetes/release']) expect((await rig.vigil('upload-release', join(repoRoot, r))).code).toBe(0);
    const d = await rig.vigil('deploy', '-d', 'k8s', join(repoRoot, 'examples/kubernetes/manifest.yml'));
    expect(d.err).toBe('');
    expect(d.code).toBe(0);
    const cp = (JSON.parse((await rig.vigil('instances', '-d', 'k8s', '--json')).out) as { instance: string; vm_cid: string }[]).find((i) => i.instance === 'control-plane/0');
    const tokens = readFileSync(join(rig.vmDir(cp?.vm_cid ?? ''), 'jobs', 'kube-apiserver', 'config', 'tokens.csv'), 'utf8');
    const token = tokens.split(',')[0] ?? '';
    const started = Date.now();
    let ready = await kube(token, '/readyz');
    while (ready.status !== 200 && Date.now() - started < 180_000) {
      await new Promise((r) => setTimeout(r, 1000));
      ready = await kube(token, '/readyz');
    }
    expect(ready.status, await rig.diagnose('k8s')).toBe(200);
    let nodes: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] = [];
    while (Date.now() - started < 240_000) {
      const res = await kube(token, '/api/v1/nodes');
      if (res.status === 200) nodes = (JSON.parse(res.body) as { items: typeof nodes }).items;
      if (nodes.length === 3 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`kubernetes: API ready ${((Date.now() - started) / 1000).toFixed(0)} s after the deploy; nodes ${nodes.map((n) => n.metadata.name).join(', ')}`);
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['kwok-node-0', 'kwok-node-1', 'kwok-node-2']);
    expect((await kube('wrong-token', '/api/v1/nodes')).status).toBe(401);
  }, 300_000);
});
