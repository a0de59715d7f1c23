import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReleaseDir } from '../../lifecycle/index.js';
import { deployAndWait, dummyDirector, repoRoot } from './support.js';
import type { DummyRig } from './support.js';

let rig: DummyRig;
afterEach(async () => {
  await rig.close();
});

/** The stretch example, rendered on the dummy CPI: links across two releases, generated secrets. */
describe('kubernetes example release', () => {
  it('wires kube-apiserver to etcd and KWOK to the API through links, with generated secrets', async () => {
    rig = dummyDirector({ network: '127.76.1.0/24' });
    const { director: d, cpi } = rig;
    d.uploadRelease(loadReleaseDir(join(repoRoot, 'examples/kubernetes/release')));
    const t = await deployAndWait(d, readFileSync(join(repoRoot, 'examples/kubernetes/manifest.yml'), 'utf8'));
    expect(t.state).toBe('done');
    expect(d.instances('k8s').map((i) => [i.instance, i.ips[0]])).toEqual([
      ['control-plane/0', '127.76.1.3'],
      ['etcd/0', '127.76.1.2'],
    ]);
    const jobs = cpi.vmByIp('127.76.1.3')?.agent.spec?.jobs ?? [];
    const api = jobs.find((j) => j.name === 'kube-apiserver');
    const kwok = jobs.find((j) => j.name === 'kwok');
    expect(api?.files['bin/run']).toContain('--etcd-servers=http://127.76.1.2:2379 ');
    expect(api?.files['bin/run']).toContain('--bind-address=127.76.1.3 --advertise-address=127.76.1.3 --secure-port=6443');
    const token = /^([A-Za-z0-9_-]{20}),admin,admin-uid,"system:masters"$/m.exec(api?.files['config/tokens.csv'] ?? '')?.[1];
    expect(token).toBeDefined();
    expect(createPrivateKey(api?.files['config/sa.key'] ?? '').asymmetricKeyType).toBe('rsa');
    expect(kwok?.files['config/kubeconfig']).toContain('server: https://127.76.1.3:6443');
    expect(kwok?.files['config/kubeconfig']).toContain(`token: ${token}`);
    expect(kwok?.files['bin/run']).toContain('while [ "$i" -lt 3 ]');
    // The etcd group got its own token, and only itself as peers.
    const etcdRun = cpi.vmByIp('127.76.1.2')?.agent.spec?.jobs[0]?.files['bin/run'] ?? '';
    expect(etcdRun).toContain('--initial-cluster etcd-0=http://127.76.1.2:2380 ');
    expect(etcdRun).toContain('--initial-cluster-token k8s-etcd');
    const sa = d.store.variables('k8s').get('service_account') as { certificate: string };
    expect(new X509Certificate(sa.certificate).subject).toBe('CN=service-accounts');
  });
});
