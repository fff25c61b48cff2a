import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { bodyOf } from '../../../src/backlog/parse-task.js';
import { isValidId, nextTaskId, renderTaskFile, slugify, taskFileName } from '../../../src/backlog/new-task.js';

describe('slugify and taskFileName', () => {
  it('makes short lowercase ASCII slugs', () => {
    expect(slugify('Add event registrations list endpoint')).toBe('add-event-registrations-list-endpoint');
    expect(slugify('Café: résumé & naïve — "quotes"!')).toBe('cafe-resume-naive-quotes');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('日本語')).toBe('task');
    expect(slugify('x'.repeat(30) + ' ' + 'y'.repeat(30))).toBe('x'.repeat(30) + '-' + 'y'.repeat(17));
    expect(taskFileName('A32', 'Add endpoint')).toBe('A32-add-endpoint.md');
  });
});

describe('nextTaskId', () => {
  it('starts at T1, then follows the prefix most ids use, one past its highest number', () => {
    expect(nextTaskId([])).toBe('T1');
    expect(nextTaskId([{ id: 'A30' }, { id: 'A31' }, { id: 'B7' }, { id: 'docs' }])).toBe('A32');
    expect(nextTaskId([{ id: 'task-9' }, { id: 'task-10' }])).toBe('task-11');
  });

  it('never returns a taken id, ignoring case', () => {
    expect(nextTaskId([{ id: 'A1' }, { id: 'A2' }, { id: 'a3' }])).not.toMatch(/^a3$/i);
  });

  it('checks ids against the pattern', () => {
    expect(['A32', 'task-35', 'T_1', 'x', 'A.1', 'BACK-222.1', 'TASK-12.03'].every(isValidId)).toBe(true);
    expect(['1A', 'A 1', 'A..1', 'A.', 'A./b', '', '-a', 'a/b', '.a'].some(isValidId)).toBe(false);
  });
});

describe('renderTaskFile', () => {
  it('writes the keys crewtree owns in the documented order and a body', () => {
    const text = renderTaskFile({ id: 'A32', title: 'Add endpoint', priority: 'high', type: 'feat', epic: 'Events', role: 'developer', dependsOn: ['A30', 'A31'], paths: ['services/events/**'] });
    expect(text).toBe(
      [
        '---',
        'id: A32',
        'title: Add endpoint',
        'status: todo',
        'priority: high',
        'type: feat',
        'epic: Events',
        'role: developer',
        'depends_on: [A30, A31]',
        'paths: [services/events/**]',
        '---',
        '# Add endpoint',
        '',
        '## Acceptance criteria',
        '',
        '- [ ] ',
        '',
      ].join('\n'),
    );
  });

  it('quotes awkward titles so they read back exactly', () => {
    for (const title of ['Fix: the "login" #bug', "it's [not] {yaml}", '---', 'yes', '12', '  spaced  ', '- dash']) {
      const text = renderTaskFile({ id: 'A1', title, priority: 'medium', type: 'fix', role: 'developer', dependsOn: [], paths: [], review: true, body: 'Body' });
      const backlog = parseBacklog([{ path: 'backlog/tasks/A1-x.md', text }]);
      expect(backlog.problems, title).toEqual([]);
      expect(backlog.tasks[0]?.title).toBe(title);
      expect(backlog.tasks[0]?.review).toBe(true);
      expect(bodyOf(backlog.texts.get('A1') ?? '')).toBe(`# ${title.replace(/\s+/g, ' ')}\n\nBody\n`);
    }
  });
});
