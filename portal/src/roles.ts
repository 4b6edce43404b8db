// What each role may do, as the services declare it (RolesAllowed, in their OpenAPI). The portal
// only offers what the signed-in role can do; the API refuses the rest anyway. The table lives in
// roles.json so that portal/e2e can check every entry against the running services' OpenAPI.
import table from './roles.json';

export type Role = 'owner' | 'admin' | 'billing' | 'analyst' | 'support' | 'viewer';

export type Ability = Exclude<keyof typeof table, '_comment'>;

export function can(roles: readonly string[], ability: Ability): boolean {
  return table[ability].roles.some((r) => roles.includes(r));
}

/** Every role, in the order the portal lists them (API key scopes and team roles alike). */
export const ROLES: Role[] = ['owner', 'admin', 'billing', 'analyst', 'support', 'viewer'];
