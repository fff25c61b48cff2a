import { codeBlock, inlineCode } from './markdown.js';

/** What went wrong last time, handed back to the agent on its next attempt. */
export type PromptFeedback = { failedCommand: string; tail: string } | { conflictFiles: string[] } | { rejectReason: string };

export interface PromptProtocol {
  /** The worktree's absolute path. */
  worktree: string;
  branch: string;
  /** The base branch (main). */
  base: string;
  gateCommands: readonly string[];
  allowedPaths: readonly string[];
  attempt: number;
  maxAttempts: number;
}

export interface PromptInput {
  /** `.crewtree/context.md`; an empty context leaves its section out. */
  context: string;
  role: { name: string; prompt: string };
  taskFile: { path: string; text: string };
  protocol: PromptProtocol;
  feedback?: PromptFeedback;
}

/**
 * The whole prompt an agent receives: system context, role prompt, the task file, the
 * protocol of the worktree it works in and, on a retry, what failed. Same input, same text.
 */
export function assemblePrompt(input: PromptInput): string {
  const sections = [
    input.context.trim() ? section('System context', input.context.trim()) : undefined,
    section(`Your role: ${input.role.name}`, input.role.prompt.trim() || `You work as the ${input.role.name} of this project.`),
    section(`Your task (${input.taskFile.path})`, input.taskFile.text.trim()),
    section('Protocol', protocolText(input.protocol)),
    input.feedback ? feedbackSection(input.feedback, input.protocol) : undefined,
  ];
  return sections.filter((text): text is string => text !== undefined).join('\n\n') + '\n';
}

function section(title: string, body: string): string {
  return `# ${title}\n\n${body}`;
}

/** The rules every worker gets, numbered so an agent can refer to them. */
export function protocolText(protocol: PromptProtocol): string {
  const { base } = protocol;
  const paths = protocol.allowedPaths.includes('**')
    ? 'You may change any file in this worktree that the task needs.'
    : protocol.allowedPaths.length === 0
      ? 'You may not change any file: this role only reads. Any change fails the gate.'
      : `You may change only files matching ${protocol.allowedPaths.map(inlineCode).join(', ')}. A change to any other file fails the gate.`;
  const gate =
    protocol.gateCommands.length === 0
      ? 'No gate commands are configured; still make sure the project builds and its tests pass before you finish.'
      : `When you finish, crewtree runs the gate in this worktree, these commands in this order, and every one must pass:\n${protocol.gateCommands.map((command) => `   - ${inlineCode(command)}`).join('\n')}\n   Run them yourself before you finish.`;
  const retries =
    protocol.maxAttempts > 1
      ? `If the gate fails you get its output and another attempt, up to ${protocol.maxAttempts}; then the task is blocked.`
      : 'If the gate fails, the task is blocked.';
  return [
    'You are a crewtree worker. These rules hold for this task:',
    '',
    `1. Your working directory is the git worktree ${inlineCode(protocol.worktree)}, on branch ${inlineCode(protocol.branch)}. This worktree is yours and only yours: make every change inside it.`,
    `2. Never touch the base branch ${inlineCode(base)}, the main checkout or any other worktree. Do not switch branches, merge, rebase, reset or push.`,
    `3. Leave your changes in this worktree; you need not commit them. crewtree commits them as this task's work, gates them and lands them on ${inlineCode(base)}. Do not edit the task's status or lock.`,
    `4. ${paths}`,
    `5. ${gate}`,
    `6. This is attempt ${protocol.attempt} of ${protocol.maxAttempts}. ${retries}`,
    '7. When you are done, stop and reply with a short summary of what you changed and why.',
  ].join('\n');
}

function feedbackSection(feedback: PromptFeedback, protocol: PromptProtocol): string {
  if ('failedCommand' in feedback) {
    const output = feedback.tail.trim() ? `Its last lines of output:\n\n${codeBlock(feedback.tail.trimEnd())}` : 'It printed nothing.';
    return section(
      'Your previous attempt failed',
      `${inlineCode(feedback.failedCommand)} failed. ${output}\n\nFind the cause and fix it in this worktree; your earlier changes are still here.`,
    );
  }
  if ('conflictFiles' in feedback) {
    const files = feedback.conflictFiles.map((file) => `- ${inlineCode(file)}`).join('\n');
    return section(
      `Your work conflicts with ${protocol.base}`,
      `Changes that landed on ${inlineCode(protocol.base)} since you started conflict with your work. The current ${inlineCode(protocol.base)} was merged into your branch in this worktree, and these files hold conflict markers:\n\n${files}\n\nResolve every conflict, keeping the intent of both sides, and make sure the gate passes.`,
    );
  }
  const reason = feedback.rejectReason.trim().split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');
  return section('A reviewer rejected your previous work', `The reason they gave:\n\n${reason}\n\nChange your work in this worktree to address it.`);
}
