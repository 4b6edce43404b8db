// Who is signed in, with which roles, in which tenant: every page reads it from here.
import { createContext, useContext } from 'react';
import type { Claims } from './api';
import { can, type Ability } from './roles';

export type Branding = { displayName?: string | null; primaryColor?: string | null; logoUrl?: string | null };
export type Tenant = {
  id: string;
  name: string;
  tier: string;
  branding?: Branding | null;
  ipAllowlist?: string[];
  mfaRequired?: boolean;
  sessionLengthMinutes?: number;
  taxRate?: number;
  version: number;
};

export type SessionValue = {
  claims: Claims;
  tenant: Tenant | null;
  setTenant: (t: Tenant) => void;
  can: (ability: Ability) => boolean;
};

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function sessionValue(claims: Claims, tenant: Tenant | null, setTenant: (t: Tenant) => void): SessionValue {
  return { claims, tenant, setTenant, can: (ability) => can(claims.groups ?? [], ability) };
}

/** Applies the tenant's colour to the portal itself (its name and logo are shown by the shell). */
export function applyBranding(b?: Branding | null): void {
  const color = b?.primaryColor && /^#[0-9a-fA-F]{6}$/.test(b.primaryColor) ? b.primaryColor : null;
  if (color) document.documentElement.style.setProperty('--brand', color);
  else document.documentElement.style.removeProperty('--brand');
}
