import { describe, expect, it } from 'vitest';
import { commandModules } from '../../../src/cli/commands/index.js';
import { modulesFor } from '../../../src/cli/main.js';

const names = (argv: string[]) => modulesFor(argv).map(([commandNames]) => commandNames[0]);

describe('which command modules a command line loads', () => {
  it('loads none for a bare --version, so it costs little more than node itself', () => {
    expect(names(['--version'])).toEqual([]);
    expect(names(['-V'])).toEqual([]);
  });

  it('loads only the named command', () => {
    expect(names(['claim', '--next', '--worker', 'w'])).toEqual(['claim']);
    expect(names(['--json', 'status'])).toEqual(['status']);
    expect(names(['reject', 'A1', '-m', 'why'])).toEqual(['approve']);
  });

  it('loads every command for help, no arguments or an unknown command, so help lists them all', () => {
    const all = commandModules.map(([commandNames]) => commandNames[0]);
    expect(names(['--help'])).toEqual(all);
    expect(names([])).toEqual(all);
    expect(names(['frobnicate'])).toEqual(all);
  });
});
