import { CrewError } from '../errors.js';
import type { Config } from '../config/schema.js';

export interface PortRange {
  base: number;
  count: number;
}

/** Worker slot N gets ports `base + N*size` to `base + (N+1)*size - 1`, so parallel servers never collide. */
export function portRange(ports: Config['setup']['ports'], slot: number): PortRange {
  if (!Number.isInteger(slot) || slot < 0) throw new Error(`a worker slot is a whole number from 0, not ${slot}`);
  const base = ports.base + slot * ports.size;
  if (base + ports.size - 1 > 65535) {
    throw new CrewError('config-invalid', `Worker slot ${slot} would get ports ${base}-${base + ports.size - 1}, past 65535.`, {
      hint: 'Lower setup.ports.base or setup.ports.size in .crewtree/config.yaml, or run fewer workers.',
    });
  }
  return { base, count: ports.size };
}

export function portEnv(range: PortRange): Record<string, string> {
  return { PORT: String(range.base), CREWTREE_PORT_BASE: String(range.base), CREWTREE_PORT_COUNT: String(range.count) };
}
