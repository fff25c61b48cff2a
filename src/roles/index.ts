// Roles: the prompts and rules of `.crewtree/roles/*.md`, and the system context.
export { loadRoles, readContext, ROLES_DIR, CONTEXT_PATH } from './load.js';
export { defaultRole, resolveRole, roleTakes, type Role } from './role.js';
export { parseRoleFile } from './parse-role.js';
