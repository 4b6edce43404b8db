// Clean URLs with the History API; the gateway answers every portal path with index.html.
import { useEffect, useState } from 'react';

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; params: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const update = () => tick((n) => n + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: location.pathname, params: new URLSearchParams(location.search) };
}

/** Matches "/support/:id" against a path; gives the named parts or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = (path.replace(/\/+$/, '') || '/').split('/');
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      // Ids only (uuids, numbers): a decoded "../" must never steer the API call built from it.
      const value = decodeURIComponent(s[i]);
      if (!/^[\w-]+$/.test(value)) return null;
      out[p[i].slice(1)] = value;
    }
    else if (p[i] !== s[i]) return null;
  }
  return out;
}
