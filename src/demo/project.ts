/** The example repository `crew demo` builds on: ClubHub, a tiny club-management service. */
export const demoProject: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'clubhub', version: '0.1.0', private: true, type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`,
  'README.md': '# ClubHub\n\nA tiny club-management service: members, events, registrations.\n\nRun the tests with `npm test`.\n',
  'src/config.js': "export const clubName = 'ClubHub';\n",
  'src/members.js': `/** Members of the club, kept in memory. */
export function createMemberStore() {
  const members = [];
  return {
    add(name, email) {
      const member = { id: members.length + 1, name, email };
      members.push(member);
      return member;
    },
    all() {
      return [...members];
    },
  };
}
`,
  'test/members.test.js': `import test from 'node:test';
import assert from 'node:assert/strict';
import { createMemberStore } from '../src/members.js';

test('adds and lists members', () => {
  const store = createMemberStore();
  store.add('Ada', 'ada@example.com');
  assert.deepEqual(store.all().map((m) => m.name), ['Ada']);
});
`,
  'test/config.test.js': `import test from 'node:test';
import assert from 'node:assert/strict';
import { clubName } from '../src/config.js';

test('the club has a name', () => {
  assert.ok(clubName.length > 0);
});
`,
};
