import { describe, expect, it } from 'vitest';
import { chooseCrewCommand, lastsBeyondNpx, pasteable, shellWord } from '../../../src/cli/crew-command.js';

describe('the crew command to print', () => {
  it('is crew when the crew on PATH is this program, else node and its bin', () => {
    expect(chooseCrewCommand('/src/crewtree/bin/crew.js', '/src/crewtree/bin/crew.js')).toBe('crew');
    expect(chooseCrewCommand('/src/crewtree/bin/crew.js', undefined)).toBe('node /src/crewtree/bin/crew.js');
    expect(chooseCrewCommand('/src/crewtree/bin/crew.js', '/usr/lib/node_modules/crewtree/bin/crew.js')).toBe('node /src/crewtree/bin/crew.js');
    expect(chooseCrewCommand('/home/ann/my code/bin/crew.js', undefined)).toBe("node '/home/ann/my code/bin/crew.js'");
  });

  it('quotes only what a shell would split or expand', () => {
    expect(shellWord('/tmp/a-b_c.d/e')).toBe('/tmp/a-b_c.d/e');
    expect(shellWord("/tmp/it's here")).toBe(`'/tmp/it'\\''s here'`);
  });

  it('rewrites crew where a command starts, and nowhere else', () => {
    const node = 'node /x/bin/crew.js';
    expect(pasteable('Wait, or run `crew sweep` if that worker is gone.', node)).toBe('Wait, or run `node /x/bin/crew.js sweep` if that worker is gone.');
    expect(pasteable('crew init && crew task add "x"', node)).toBe('node /x/bin/crew.js init && node /x/bin/crew.js task add "x"');
    expect(pasteable('the crew is busy; crewtree said crew-1 was here', node)).toBe('the crew is busy; crewtree said crew-1 was here');
    expect(pasteable('run `crew sweep`', 'crew')).toBe('run `crew sweep`');
  });
});

describe('a crew on PATH under npx', () => {
  it("does not count when npm exec put it there for this one run", () => {
    const npx = { npm_command: 'exec' };
    expect(lastsBeyondNpx('/home/ann/crewtree/node_modules/.bin', npx)).toBe(false);
    expect(lastsBeyondNpx('/home/ann/.npm/_npx/1a2b/node_modules/.bin', npx)).toBe(false);
    expect(lastsBeyondNpx('/usr/local/bin', npx)).toBe(true);
    expect(lastsBeyondNpx('/home/ann/crewtree/node_modules/.bin', {})).toBe(true);
  });
});
