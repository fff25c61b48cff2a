import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { ExitCode } from '../../errors.js';
import { Git } from '../../git/git.js';
import { historyGraph } from '../../git/history.js';
import { runProcess } from '../../process/run.js';
import { renderBoard } from '../../views/board.js';
import { action } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';
import { stopOnSignals } from '../reporters.js';
import { crewCommand, linkHint, shellWord } from '../crew-command.js';
import { terminalReporter } from '../../studio/live-view.js';
import { chooseOutputMode, useColor } from '../output.js';

export function registerDemo(program: Command, io: Io, state: CliState): void {
  program
    .command('demo')
    .description('the whole studio on a built-in example repository (ClubHub), offline, with the script agent')
    .option('--dir <dir>', 'where to create the example repository (default: a new temporary folder)')
    .option('--workers <n>', 'workers in parallel', '3')
    .option('--keep', 'keep the ai/ branches of landed tasks to inspect them')
    .option('--json', 'print a JSON summary')
    .action(
      action(state, async (options: { dir?: string; workers: string; keep?: boolean; json?: boolean }) => {
        const mode = chooseOutputMode({ json: options.json, isTTY: io.isTTY, env: io.env });
        const terminal = terminalReporter({ interactive: mode === 'interactive', color: useColor(mode, io.env), write: (t) => (mode === 'json' ? undefined : process.stdout.write(t)), width: () => process.stdout.columns ?? 100 });
        const controller = new AbortController();
        const unhook = stopOnSignals(io, controller);
        if (mode !== 'json') io.out('crew demo: building ClubHub, a tiny club service, and a backlog of 9 tasks; 3 workers take them.\n');
        try {
          const result = await runDemo({ dir: options.dir, workers: Math.max(1, Number(options.workers) || 3), keepBranches: Boolean(options.keep), reporter: terminal, onProgress: (totals) => terminal.setTotals(totals), signal: controller.signal, env: io.env });
          terminal.stop();
          const counts = (status: string) => result.tasks.filter((t) => t.status === status).length;
          const ok = result.testsPass && result.tasks.every((t) => t.status === 'done' && !t.lock);
          if (options.json) {
            printJson(io, { dir: result.dir, ok, seconds: result.seconds, testsPass: result.testsPass, approved: result.approved, tasks: result.tasks.map((t) => ({ id: t.id, status: t.status })) });
            return ok ? ExitCode.ok : ExitCode.failed;
          }
          const graph = await historyGraph(new Git(result.dir), 'main', 40);
          const log = await runProcess('cat', ['backlog/task.log'], { cwd: result.dir });
          io.out('\n== Board ==\n' + renderBoard(result.tasks, process.stdout.columns ?? 120));
          io.out('\n== Task log (backlog/task.log) ==\n' + log.stdout.trimEnd());
          io.out('\n== main (git log --graph --oneline) ==\n' + graph.trimEnd());
          io.out(`\n${counts('done')} of ${result.tasks.length} tasks done, ${counts('blocked')} blocked; main's tests ${result.testsPass ? 'pass' : 'FAIL'} (${result.seconds.toFixed(1)} s).`);
          for (const line of demoFollowUp(result.dir, crewCommand(io.env), linkHint(io.env))) io.out(line);
          return ok ? ExitCode.ok : ExitCode.failed;
        } finally {
          terminal.stop();
          unhook();
        }
      }),
    );
}

/**
 * What to try next, each line pasteable as it is (tests/e2e/first-hour.test.ts pastes them): the
 * new task carries the crew-script block the script agent runs.
 */
export function demoFollowUp(dir: string, crew: string, hint: string | undefined): string[] {
  return [
    `\nThe repository is in ${dir}. Try:${hint ? ` (${hint})` : ''}`,
    `  cd ${shellWord(dir)}`,
    `  ${crew} board`,
    `  ${crew} log D2`,
    `  ${crew} task show D5`,
    '  git log --graph --oneline',
    'Then give the studio a task of your own (paste the four lines at once; the script agent runs its crew-script block):',
    `${crew} task add "Members: remove a member" --priority high --body '\`\`\`crew-script`,
    'echo "export const removeMember = (members, id) => members.filter((m) => m.id !== id);" >> src/members.js',
    "```'",
    `${crew} run -j 2 --agent script --until-empty`,
  ];
}
