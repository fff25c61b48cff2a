// What a scripted model says: one conversation per agent run (a crewtree attempt), a step per
// model turn. Pure data and pure decisions; the wire formats live in anthropic.ts and openai.ts.

/** Tokens the server reports for one model turn. */
export interface StepUsage {
  input: number;
  output: number;
  /** Of `input`: read from the prompt cache. */
  cacheRead?: number;
}

/** One model turn, written as what the agent should do, whichever CLI runs it. */
export type ModelStep =
  /** Write a file (claude: its Write tool; codex: a shell command through exec_command). Relative to the agent's cwd. */
  | { write: string; content: string; usage?: StepUsage }
  /** Run a shell command (claude: Bash; codex: exec_command). */
  | { run: string; usage?: StepUsage }
  /** End the turn with this text: the agent's final message. */
  | { reply: string; usage?: StepUsage }
  /** Drop the connection and stop listening: from here on the agent's API is unreachable. */
  | { hangUp: true };

/** The steps that become an answer on the wire. */
export type AnswerStep = Exclude<ModelStep, { hangUp: true }>;

export interface Conversation {
  steps: ModelStep[];
  /** Texts the agent's prompt must hold; when one is missing the server answers an API error naming it. */
  promptIncludes?: string[];
}

/** The API failing before it answers: rate limited (429), broken (500) or overloaded (529). */
export interface Outage {
  status: 429 | 500 | 503 | 529;
  /** How many of the agents' main requests get the error; later ones are answered by the script. */
  count: number;
  /** Sent as `retry-after` (seconds) with each error. */
  retryAfterSeconds?: number;
}

export interface ModelScript {
  /** Played in order: the first agent run gets the first conversation, and so on. */
  conversations: Conversation[];
  /** The first main requests fail with this error (they start no conversation). */
  outage?: Outage;
  /** Every main request is accepted and never answered: a model API that hangs. */
  hang?: boolean;
}

export const DEFAULT_USAGE: StepUsage = { input: 1200, output: 40 };

/** A one-run script: write the files, then reply. */
export function writesThenReplies(files: Record<string, string>, reply: string): Conversation {
  return { steps: [...Object.entries(files).map(([write, content]) => ({ write, content })), { reply }] };
}

export function usageOf(step: AnswerStep): StepUsage {
  return step.usage ?? DEFAULT_USAGE;
}

/**
 * The step to answer with: turn `turn` (how many tool calls the conversation already holds) of
 * conversation `index`. Past the end of its steps a conversation replies "done"; past the end of
 * the script there is nothing to say.
 */
export function stepAt(script: ModelScript, index: number, turn: number): ModelStep | { missing: string } {
  const conversation = script.conversations[index];
  if (!conversation) return { missing: `the script has ${script.conversations.length} conversation(s); run ${index + 1} asked for more` };
  return conversation.steps[turn] ?? { reply: 'done' };
}

/** The first expected text the prompt does not hold, if any. */
export function missingPromptText(conversation: Conversation | undefined, prompt: string): string | undefined {
  return conversation?.promptIncludes?.find((text) => !prompt.includes(text));
}

/** A shell command that writes `content` to `path` exactly, through a quoted here-document. */
export function shellWrite(path: string, content: string): string {
  const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
  const marker = 'CREWTREE_MODEL_EOF';
  if (content.includes(marker)) throw new Error(`content must not contain ${marker}`);
  const dir = path.includes('/') ? `mkdir -p "$(dirname ${quoted})" && ` : '';
  // NOTE: a here-document always ends with a newline; printf drops it when the content has none.
  if (content.endsWith('\n')) return `${dir}cat > ${quoted} <<'${marker}'\n${content}${marker}`;
  return `${dir}printf '%s' "$(cat <<'${marker}'\n${content}\n${marker}\n)" > ${quoted}`;
}
