import type { Git } from '../git/git.js';
import { resolveCommit } from '../git/objects.js';
import { readBranchCommit } from '../git/read-ref.js';
import { updateRefs } from '../git/refs.js';
import type { BaseStore, ExtraRef } from '../workspace.js';

/** The single-machine store: `rev-parse` and `update-ref --stdin` (a transaction with extra refs). */
export class LocalBaseStore implements BaseStore {
  readonly kind = 'local';

  constructor(
    private readonly git: Git,
    private readonly ref: string,
    /** The common git directory: given, the ref is read from its file without a git process. */
    private readonly commonDir?: string,
  ) {}

  read(): Promise<string | undefined> {
    return this.commonDir ? readBranchCommit(this.git, this.commonDir, this.ref) : resolveCommit(this.git, this.ref);
  }

  async swap(next: string, expected: string, message: string, extraRefs: readonly ExtraRef[] = []): Promise<'swapped' | 'lost'> {
    const updates = [{ ref: this.ref, to: next, expected }, ...extraRefs].map((u) => ({ ref: u.ref, to: u.to, from: u.expected }));
    return (await updateRefs(this.git, updates, message.split('\n')[0] ?? '')) ? 'swapped' : 'lost';
  }
}
