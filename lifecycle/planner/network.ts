import { VigilError } from '../../core/index.js';

/**
 * Hands out loopback IPs from one /24 (e.g. 127.70.1.0/24 → .2 … .254), lowest free first. IPs in use by
 * any deployment are skipped; an instance keeps its IP for life, so a recreated VM comes back at the same
 * address (etcd members keep their peer URLs).
 */
export class IpPool {
  private readonly prefix: string;

  constructor(
    range: string,
    private readonly used: Set<string>,
  ) {
    const m = /^(127\.\d{1,3}\.\d{1,3})\.0\/24$/.exec(range);
    if (m === null) throw new VigilError('bad_data', `network range ${range}: expected 127.X.Y.0/24`);
    this.prefix = m[1] as string;
  }

  take(): string {
    for (let host = 2; host < 255; host++) {
      const ip = `${this.prefix}.${host}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new VigilError('limit_exceeded', `no free IP left in ${this.prefix}.0/24`);
  }

  claim(ip: string, who: string): void {
    if (this.used.has(ip)) throw new VigilError('conflict', `${who}: static IP ${ip} is already in use`);
    this.used.add(ip);
  }
}
