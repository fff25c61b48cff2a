import { describe, expect, it } from 'vitest';
import { assemblePrompt, type PromptInput } from '../../../src/prompt/assemble.js';
import { codeBlock, inlineCode } from '../../../src/prompt/markdown.js';

const taskText = `---
id: A1
title: Add the registrations endpoint
role: developer
---
## Acceptance criteria
- [ ] GET /events/:id/registrations returns the list
`;

const input: PromptInput = {
  context: 'ClubHub is a Node API.\nTests run with node --test.\n',
  role: { name: 'developer', prompt: '# Developer\n\nYou implement one task.\n' },
  taskFile: { path: 'backlog/tasks/A1-add-the-registrations-endpoint.md', text: taskText },
  protocol: {
    worktree: '/repo/.worktrees/ai/w1/A1-add-the-registrations-endpoint',
    branch: 'ai/w1/A1-add-the-registrations-endpoint',
    base: 'main',
    gateCommands: ['npm test', 'npm run lint'],
    allowedPaths: ['src/api/**', 'test/**'],
    attempt: 1,
    maxAttempts: 3,
  },
};

const protocol = `# Protocol

You are a crewtree worker. These rules hold for this task:

1. Your working directory is the git worktree \`/repo/.worktrees/ai/w1/A1-add-the-registrations-endpoint\`, on branch \`ai/w1/A1-add-the-registrations-endpoint\`. This worktree is yours and only yours: make every change inside it.
2. Never touch the base branch \`main\`, the main checkout or any other worktree. Do not switch branches, merge, rebase, reset or push.
3. Leave your changes in this worktree; you need not commit them. crewtree commits them as this task's work, gates them and lands them on \`main\`. Do not edit the task's status or lock.
4. You may change only files matching \`src/api/**\`, \`test/**\`. A change to any other file fails the gate.
5. When you finish, crewtree runs the gate in this worktree, these commands in this order, and every one must pass:
   - \`npm test\`
   - \`npm run lint\`
   Run them yourself before you finish.
6. This is attempt 1 of 3. If the gate fails you get its output and another attempt, up to 3; then the task is blocked.
7. When you are done, stop and reply with a short summary of what you changed and why.`;

describe('assemblePrompt', () => {
  it('puts context, role, task file and protocol in that order', () => {
    expect(assemblePrompt(input)).toBe(
      [
        '# System context\n\nClubHub is a Node API.\nTests run with node --test.',
        '# Your role: developer\n\n# Developer\n\nYou implement one task.',
        `# Your task (backlog/tasks/A1-add-the-registrations-endpoint.md)\n\n${taskText.trim()}`,
        protocol,
      ].join('\n\n') + '\n',
    );
  });

  it('is the same text for the same input', () => {
    expect(assemblePrompt(input)).toBe(assemblePrompt(structuredClone(input)));
  });

  it('leaves out an empty context and says so when every path or no gate applies', () => {
    const text = assemblePrompt({
      ...input,
      context: '  \n',
      protocol: { ...input.protocol, allowedPaths: ['**'], gateCommands: [], attempt: 1, maxAttempts: 1 },
    });
    expect(text.startsWith('# Your role: developer\n')).toBe(true);
    expect(text).not.toContain('# System context');
    expect(text).toContain('\n4. You may change any file in this worktree that the task needs.\n');
    expect(text).toContain('\n5. No gate commands are configured; still make sure the project builds and its tests pass before you finish.\n');
    expect(text).toContain('\n6. This is attempt 1 of 1. If the gate fails, the task is blocked.\n');
  });

  it('adds the failed command and its last output on a retry', () => {
    const text = assemblePrompt({
      ...input,
      protocol: { ...input.protocol, attempt: 2 },
      feedback: { failedCommand: 'npm test', tail: 'not ok 1 - lists registrations\n# fail 1\n' },
    });
    expect(text.endsWith(
      [
        '# Your previous attempt failed',
        '',
        '`npm test` failed. Its last lines of output:',
        '',
        '```',
        'not ok 1 - lists registrations',
        '# fail 1',
        '```',
        '',
        'Find the cause and fix it in this worktree; your earlier changes are still here.',
        '',
      ].join('\n'),
    )).toBe(true);
    expect(text).toContain('\n6. This is attempt 2 of 3.');
    expect(text.indexOf('# Protocol')).toBeLessThan(text.indexOf('# Your previous attempt failed'));
  });

  it('fences output that contains backticks so it cannot close the block', () => {
    const text = assemblePrompt({ ...input, feedback: { failedCommand: 'npm test', tail: 'before\n```\nafter' } });
    expect(text).toContain('````\nbefore\n```\nafter\n````');
  });

  it('lists conflicting files after a conflict', () => {
    const text = assemblePrompt({ ...input, feedback: { conflictFiles: ['src/api/events.js', 'test/events.test.js'] } });
    expect(text.slice(text.indexOf('# Your work conflicts with main'))).toBe(
      '# Your work conflicts with main\n\nChanges that landed on `main` since you started conflict with your work. The current `main` was merged into your branch in this worktree, and these files hold conflict markers:\n\n- `src/api/events.js`\n- `test/events.test.js`\n\nResolve every conflict, keeping the intent of both sides, and make sure the gate passes.\n',
    );
  });

  it('quotes a reviewer rejection', () => {
    const text = assemblePrompt({ ...input, feedback: { rejectReason: 'Missing pagination.\nAlso add a test.' } });
    expect(text.slice(text.indexOf('# A reviewer rejected'))).toBe(
      '# A reviewer rejected your previous work\n\nThe reason they gave:\n\n> Missing pagination.\n> Also add a test.\n\nChange your work in this worktree to address it.\n',
    );
  });

  it('says a role with no paths may change nothing', () => {
    expect(assemblePrompt({ ...input, protocol: { ...input.protocol, allowedPaths: [] } })).toContain(
      '\n4. You may not change any file: this role only reads. Any change fails the gate.\n',
    );
  });
});

describe('markdown helpers', () => {
  it('quote code with a fence longer than what it holds', () => {
    expect(inlineCode('npm test')).toBe('`npm test`');
    expect(inlineCode('echo `date`')).toBe('`` echo `date` ``');
    expect(codeBlock('a')).toBe('```\na\n```');
    expect(codeBlock('````')).toBe('`````\n````\n`````');
  });
});
