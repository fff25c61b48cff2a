// The layer check (npm run check:layers, part of npm test): no import cycles, type-only imports
// included, and no import that runs up the layers. CONTRIBUTING.md explains the layers.
//
// Each layer lists its folders (or top-level files) from the top down: a module may import its
// own folder, anything listed after its folder in the same layer, and anything in a lower layer.
// One order for everything also keeps folders free of cycles, which module-level checks miss.
const layers = [
  { name: 'entry points', parts: ['cli', 'dashboard', 'demo'] },
  { name: 'workflows', parts: ['views', 'studio', 'workflows', 'init', 'worker', 'merge-queue', 'sweeper'] },
  {
    name: 'building blocks',
    parts: ['remote', 'landing', 'claims', 'agents', 'prompt', 'roles', 'notify', 'sandbox', 'worktree', 'gate', 'state', 'events', 'task-log', 'workspace.ts', 'config', 'backlog', 'git'],
  },
  { name: 'errors and util', parts: ['process', 'yaml', 'fs', 'clock.ts', 'errors.ts', 'terminal'] },
];

const order = layers.flatMap((layer) => layer.parts.map((part) => ({ part, layer: layer.name })));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (part) => (part.endsWith('.ts') ? `^src/${escape(part)}$` : `^src/${escape(part)}/`);

const upward = order.flatMap(({ part, layer }, index) => {
  const above = order.slice(0, index).map((other) => pathOf(other.part));
  if (above.length === 0) return [];
  return [
    {
      name: `up-from-${part.replace(/\.ts$/, '')}`,
      comment: `${part} (${layer}) may import only what is listed after it in .dependency-cruiser.cjs.`,
      severity: 'error',
      from: { path: pathOf(part) },
      // NOTE: the Workspace type names the adapters it carries (the agent sandbox); their code stays above it.
      to: part === 'workspace.ts' ? { path: above, dependencyTypesNot: ['type-only'] } : { path: above },
    },
  ];
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle (type-only imports count): move the shared part down, or split the file.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'unlisted-part',
      comment: 'Every folder of src/ has a place in the layers: add the new one to .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: order.map(({ part }) => pathOf(part)) },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
