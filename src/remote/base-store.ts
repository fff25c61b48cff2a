import { resolveCommit } from '../git/objects.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { RemoteBaseStore } from './remote-base-store.js';

/** A ref to move in the same all-or-nothing step as the base (e.g. a landed task branch). */
export interface ExtraRef {
  ref: string;
  to: string;
  /** The value the ref must still have; without it the update must be a fast-forward. */
  expected?: string;
}

/**
 * Where the base branch lives and how it is moved by compare-and-swap: this repository's ref
 * (one machine) or the remote's branch (several machines, design section 4 rule 2).
 */
export interface BaseStore {
  readonly kind: 'local' | 'remote';
  /** The base commit now, with its objects present here; undefined when the branch has no commits. */
  read(): Promise<string | undefined>;
  /** Moves the base from `expected` to `next` (and `extraRefs` with it) only if it is still `expected`. */
  swap(next: string, expected: string, message: string, extraRefs?: readonly ExtraRef[]): Promise<'swapped' | 'lost'>;
}

/** Today's single-machine store: `rev-parse` and `update-ref <ref> <new> <old>` (a transaction with extra refs). */
export class LocalBaseStore implements BaseStore {
  readonly kind = 'local';

  constructor(private readonly ws: Workspace) {}

  read(): Promise<string | undefined> {
    return resolveCommit(this.ws.git, baseRefName(this.ws.config));
  }

  async swap(next: string, expected: string, message: string, extraRefs: readonly ExtraRef[] = []): Promise<'swapped' | 'lost'> {
    const updates = [{ ref: baseRefName(this.ws.config), to: next, expected }, ...extraRefs];
    const lines = updates.map((u) => `update ${u.ref} ${u.to}${u.expected ? ` ${u.expected}` : ''}`);
    const result = await this.ws.git.run(['update-ref', '-m', `crewtree: ${message.split('\n')[0]}`, '--stdin'], { input: lines.join('\n') + '\n', okExitCodes: [0, 1, 128] });
    return result.exitCode === 0 ? 'swapped' : 'lost';
  }
}

const stores = new WeakMap<Workspace, BaseStore>();

/** The workspace's store, chosen by `remote:` in the config (one per workspace, so a remote is checked once). */
export function baseStoreOf(ws: Workspace): BaseStore {
  let store = stores.get(ws);
  if (!store) stores.set(ws, (store = ws.config.remote ? new RemoteBaseStore(ws, ws.config.remote) : new LocalBaseStore(ws)));
  return store;
}
