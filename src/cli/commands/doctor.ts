import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { problemCount, renderDoctor } from '../../views/doctor.js';
import { gatherDoctor } from '../../views/gather-doctor.js';
import { action } from '../action.js';
import type { CliState } from '../action.js';
import { chooseOutputMode, printJson, useColor, type Io } from '../output.js';

export function registerDoctor(program: Command, io: Io, state: CliState): void {
  program
    .command('doctor')
    .description('check git, agent CLIs, config, backlog, worktrees and locks; each problem with what to do (exit 1 if any)')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { json?: boolean }) => {
        const report = await gatherDoctor(io.cwd, { env: io.env });
        const problems = problemCount(report);
        if (options.json) printJson(io, { ok: problems === 0, problems, ...report });
        else io.out(renderDoctor(report, { color: useColor(chooseOutputMode({ isTTY: io.isTTY, env: io.env }), io.env) }));
        return problems === 0 ? ExitCode.ok : ExitCode.failed;
      }),
    );
}
