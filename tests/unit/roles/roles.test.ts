import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { defaultRole, loadRoles, parseRoleFile, readContext, resolveRole, roleTakes, type Role } from '../../../src/roles/index.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const FILE = '.crewtree/roles/reviewer.md';

describe('parseRoleFile', () => {
  it('reads every key and the body as the prompt', () => {
    const text = '---\nrole: reviewer\nagent: codex\npaths: ["docs/**", backlog/**]\ngate: npm run lint\nduty: Review open branches.\nlabels: [api]\nepics: [Architecture, Platform]\n---\n# Reviewer\n\nYou review.\n';
    expect(parseRoleFile(FILE, text)).toEqual({
      role: {
        name: 'reviewer',
        agent: 'codex',
        paths: ['docs/**', 'backlog/**'],
        gate: ['npm run lint'],
        duty: 'Review open branches.',
        labels: ['api'],
        epics: ['Architecture', 'Platform'],
        prompt: '# Reviewer\n\nYou review.',
        file: FILE,
      },
      problems: [],
      nameLine: 2,
    });
  });

  it('defaults the name to the file name, paths to everything and lists to empty', () => {
    expect(parseRoleFile(FILE, '---\n---\nBody\n').role).toEqual({ name: 'reviewer', paths: ['**'], gate: [], labels: [], epics: [], prompt: 'Body', file: FILE });
  });

  it.each([
    ['no front-matter', '# Reviewer\n', `${FILE}:1: no YAML front-matter (expected '---', keys such as role: developer and paths: ["src/**"], '---', then the role's prompt)`],
    ['invalid YAML', '---\nrole: reviewer\npaths: [docs/**\n---\n', `${FILE}:4: invalid YAML`],
    ['an unknown key', '---\nrole: reviewer\nmodel: opus\n---\n', `${FILE}:3: unknown key "model" (expected one of role, agent, paths, gate, duty, labels, epics)`],
    ['a path that climbs out', '---\nrole: reviewer\npaths:\n  - docs/**\n  - ../secrets/**\n---\n', `${FILE}:5: paths.1 is not valid (expected a glob relative to the repository, without .. (e.g. src/**))`],
    ['a bad role name', '---\nrole: "$(rm -rf ~)"\n---\n', `${FILE}:2: role is not valid (expected a name of letters, digits, - or _ (e.g. developer))`],
    ['a gate that is not a list', '---\nrole: reviewer\ngate: { lint: true }\n---\n', `${FILE}:3: gate is not valid (expected a list (e.g. [npm run lint]))`],
  ])('reports %s with its line', (_name, text, message) => {
    const { role, problems } = parseRoleFile(FILE, text);
    expect(role).toBeUndefined();
    expect(problems.map((problem) => `${problem.path}:${problem.line}: ${problem.message}`)[0]).toContain(message);
  });
});

describe('loadRoles', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crewtree-roles-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('loads the four roles crew init ships', async () => {
    cpSync(join(projectRoot, 'templates/init/roles'), join(root, '.crewtree/roles'), { recursive: true });
    const roles = await loadRoles(root);
    expect([...roles.keys()]).toEqual(['architect', 'developer', 'product-manager', 'test-coverage']);
    expect(roles.get('architect')).toMatchObject({ paths: ['backlog/**', 'docs/**', '*.md'], gate: [], labels: [], epics: [] });
    expect(roles.get('architect')?.duty).toMatch(/^Review the code for technical debt/);
    expect(roles.get('product-manager')?.duty).toMatch(/^Curate the backlog/);
    expect(roles.get('developer')).toMatchObject({ paths: ['**'], prompt: expect.stringMatching(/^# Developer\n/) });
    expect(roles.get('developer')?.duty).toBeUndefined();
    expect(roles.get('test-coverage')?.paths).toEqual(['**']);
  });

  it('is empty without a roles folder, and ignores files that are not markdown', async () => {
    expect((await loadRoles(root)).size).toBe(0);
    write('.crewtree/roles/notes.txt', 'not a role');
    expect((await loadRoles(root)).size).toBe(0);
  });

  it('reports every problem of every file at once, with file and line', async () => {
    write('.crewtree/roles/a.md', '---\nrole: a\npath: [src/**]\n---\n');
    write('.crewtree/roles/b.md', '---\nrole: b\npaths: 3\n---\n');
    write('.crewtree/roles/c.md', '---\nrole: reviewer\n---\n');
    write('.crewtree/roles/d.md', '---\n# the same role again\nrole: reviewer\n---\n');
    const error = (await loadRoles(root).catch((caught: unknown) => caught)) as CrewError;
    expect(error).toBeInstanceOf(CrewError);
    expect(error.code).toBe('config-invalid');
    expect(error.message).toBe('.crewtree/roles has 3 problems.');
    expect(error.details).toEqual([
      '.crewtree/roles/a.md:3: unknown key "path" (expected one of role, agent, paths, gate, duty, labels, epics)',
      '.crewtree/roles/b.md:3: paths is not valid (expected a list (e.g. ["src/**"]))',
      '.crewtree/roles/d.md:3: role "reviewer" is already defined by .crewtree/roles/c.md (expected one file per role)',
    ]);
  });

  it('reads the system context, empty when there is none', async () => {
    expect(await readContext(root)).toBe('');
    write('.crewtree/context.md', '# Context\n');
    expect(await readContext(root)).toBe('# Context\n');
  });
});

describe('resolveRole and roleTakes', () => {
  const role = (extra: Partial<Role> = {}): Role => ({ ...defaultRole('developer'), ...extra });
  const task = (extra: { role?: string; labels?: string[]; epic?: string } = {}) => ({ role: 'developer', labels: [], epic: undefined, ...extra });

  it('gives a task whose role has no file a default role that may touch everything', () => {
    const resolved = resolveRole(new Map(), 'translator');
    expect(resolved).toMatchObject({ name: 'translator', paths: ['**'], gate: [], labels: [], epics: [] });
    expect(resolved.prompt).toMatch(/^# translator\n\nYou carry out one task from the backlog/);
    const known = role({ prompt: 'mine' });
    expect(resolveRole(new Map([['developer', known]]), 'developer')).toBe(known);
  });

  it('takes tasks that name the role', () => {
    expect(roleTakes(role(), task())).toBe(true);
    expect(roleTakes(role(), task({ role: 'architect' }))).toBe(false);
  });

  it('filters by labels and epics when the role gives them, ignoring case', () => {
    const api = role({ labels: ['api', 'backend'] });
    expect(roleTakes(api, task({ labels: ['frontend', 'API'] }))).toBe(true);
    expect(roleTakes(api, task({ labels: ['frontend'] }))).toBe(false);
    const platform = role({ epics: ['Platform'] });
    expect(roleTakes(platform, task({ epic: 'platform' }))).toBe(true);
    expect(roleTakes(platform, task({ epic: 'Members' }))).toBe(false);
    expect(roleTakes(platform, task())).toBe(false);
    expect(roleTakes(role({ labels: ['api'], epics: ['Platform'] }), task({ labels: ['api'], epic: 'Members' }))).toBe(false);
  });
});
