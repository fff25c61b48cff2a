import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolText } from '../../../src/prompt/assemble.js';
import { projectRoot } from '../../helpers/temp-repo.js';

describe('docs/roles.md', () => {
  it('shows the protocol exactly as workers receive it', () => {
    const docs = readFileSync(join(projectRoot, 'docs/roles.md'), 'utf8');
    const shown = /<!-- protocol:begin -->\n```text\n([\s\S]*?)\n```\n<!-- protocol:end -->/.exec(docs)?.[1];
    expect(shown).toBe(
      protocolText({
        worktree: '/home/you/app/.worktrees/ai/w1/A32-add-registrations',
        branch: 'ai/w1/A32-add-registrations',
        base: 'main',
        gateCommands: ['npm test'],
        allowedPaths: ['src/api/**', 'test/**'],
        attempt: 1,
        maxAttempts: 3,
      }),
    );
  });
});
