import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import { get, onSessionChange, session, signOut } from './api';
import { connect, disconnect, useLive } from './live';
import { match, navigate, useLocation } from './router';
import type { Ability } from './roles';
import { applyBranding, SessionContext, sessionValue, type Tenant } from './session';
import { Link, PageHeader } from './ui';
import SignIn from './pages/SignIn';
import Dashboard from './pages/Dashboard';

type PageProps = { params: Record<string, string> };
type Route = { path: string; page: ComponentType<PageProps>; ability?: Ability };

// Every page but the dashboard is its own chunk: the first load carries only what it shows.
const Support = lazy(() => import('./pages/Support'));
const Ticket = lazy(() => import('./pages/Ticket'));
const Notifications = lazy(() => import('./pages/Notifications'));
const Invoices = lazy(() => import('./pages/Invoices'));
const Invoice = lazy(() => import('./pages/Invoice'));
const Forecasts = lazy(() => import('./pages/Forecasts'));
const Analytics = lazy(() => import('./pages/Analytics'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const Webhooks = lazy(() => import('./pages/Webhooks'));
const WebhookEndpoint = lazy(() => import('./pages/WebhookEndpoint'));
const Team = lazy(() => import('./pages/Team'));
const Settings = lazy(() => import('./pages/Settings'));
const MfaEnrolment = lazy(() => import('./pages/MfaEnrolment'));

const ROUTES: Route[] = [
  { path: '/', page: Dashboard },
  { path: '/support', page: Support, ability: 'support.use' },
  { path: '/support/:id', page: Ticket, ability: 'support.use' },
  { path: '/notifications', page: Notifications, ability: 'notifications.use' },
  { path: '/invoices', page: Invoices, ability: 'billing.read' },
  { path: '/invoices/:id', page: Invoice, ability: 'billing.read' },
  { path: '/forecasts', page: Forecasts, ability: 'forecasts.read' },
  { path: '/analytics', page: Analytics, ability: 'analytics.read' },
  { path: '/api-keys', page: ApiKeys, ability: 'apiKeys.manage' },
  { path: '/webhooks', page: Webhooks, ability: 'webhooks.manage' },
  { path: '/webhooks/:id', page: WebhookEndpoint, ability: 'webhooks.manage' },
  { path: '/team', page: Team, ability: 'team.manage' },
  { path: '/settings', page: Settings, ability: 'tenant.read' },
];

const NAV: { to: string; label: string; ability?: Ability }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/support', label: 'Support', ability: 'support.use' },
  { to: '/notifications', label: 'Notifications', ability: 'notifications.use' },
  { to: '/invoices', label: 'Invoices', ability: 'billing.read' },
  { to: '/forecasts', label: 'Forecasts', ability: 'forecasts.read' },
  { to: '/analytics', label: 'Analytics', ability: 'analytics.read' },
  { to: '/api-keys', label: 'API keys', ability: 'apiKeys.manage' },
  { to: '/webhooks', label: 'Webhooks', ability: 'webhooks.manage' },
  { to: '/team', label: 'Team', ability: 'team.manage' },
  { to: '/settings', label: 'Settings', ability: 'tenant.read' },
];

export default function App() {
  const [current, setCurrent] = useState(session);
  useEffect(() => onSessionChange(() => setCurrent(session())), []);
  if (!current) return <SignIn />;
  if (current.claims.groups?.includes('mfa_enrollment'))
    return (
      <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
        <MfaEnrolment />
      </Suspense>
    );
  return <SignedIn key={current.claims.sid ?? current.claims.sub} />;
}

function SignedIn() {
  const claims = session()!.claims;
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const { path } = useLocation();
  const live = useLive();

  useEffect(() => {
    connect();
    get<Tenant>('/v1/tenants/' + claims.tenant).then(setTenant, () => setTenant(null));
    return () => {
      disconnect();
      applyBranding(null); // the next sign-in may be another tenant's
    };
  }, [claims.tenant]);
  useEffect(() => applyBranding(tenant?.branding), [tenant]);
  // After a navigation, keyboard and screen-reader users continue in the new page, not in the nav.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);

  const value = useMemo(() => sessionValue(claims, tenant, setTenant), [claims, tenant]);
  const found = ROUTES.map((r) => ({ r, params: match(r.path, path) })).find((x) => x.params);
  const allowed = found && (!found.r.ability || value.can(found.r.ability));
  const Page = found?.r.page;
  const name = tenant?.branding?.displayName || tenant?.name || 'SecureBase';
  const unread = live.unreadCount ?? 0;

  return (
    <SessionContext.Provider value={value}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            {tenant?.branding?.logoUrl?.startsWith("https:") ? <img src={tenant.branding.logoUrl} alt="" width={28} height={28} /> : <span className="brand-mark" aria-hidden="true" />}
            <span>{name}</span>
          </div>
          <ul>
            {NAV.filter((n) => !n.ability || value.can(n.ability)).map((n) => {
              const active = n.to === '/' ? path === '/' : path.startsWith(n.to);
              return (
                <li key={n.to}>
                  <Link to={n.to} aria-current={active ? 'page' : undefined}>
                    {n.label}
                    {n.to === '/notifications' && unread > 0 ? <span className="count" aria-hidden="true">{unread}</span> : null}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="content">
          <header className="topbar">
            <span className="who">
              {claims.kind === 'apikey' ? 'API key' : claims.upn} · <span className="role">{(claims.groups ?? []).join(', ')}</span>
              {tenant ? <span className="tier"> · {tenant.tier}</span> : null}
            </span>
            <Link to="/notifications" className="bell" aria-label={`Notifications, ${unread} unread`}>
              <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                <path d="M13.73 21a2 2 0 0 1-3.46 0" />
              </svg>
              {unread > 0 ? <span className="count" data-testid="unread-badge">{unread}</span> : null}
            </Link>
            <span className={'live ' + (live.connected ? 'on' : 'off')} title={live.connected ? 'Live updates connected' : 'Live updates reconnecting'}>
              {live.connected ? 'Live' : 'Offline'}
            </span>
            <button type="button" className="secondary" onClick={() => signOut().then(() => navigate('/'))}>
              Sign out
            </button>
          </header>
          <main id="main" tabIndex={-1}>
            <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
              {!Page ? (
                <NotFound />
              ) : !allowed ? (
                <>
                  <PageHeader title="Not available" />
                  <p className="error" role="alert">
                    Your role ({(claims.groups ?? []).join(', ')}) cannot open this page.
                  </p>
                </>
              ) : (
                // Keyed by the path: another id is another page, with nothing left of the last one.
                <Page key={path} params={found!.params!} />
              )}
            </Suspense>
          </main>
        </div>
      </div>
      <Arrivals />
    </SessionContext.Provider>
  );
}

/** New notifications, announced politely and shown for a few seconds each. */
function Arrivals() {
  const live = useLive();
  const [seen] = useState(() => new Set<string>(live.arrived.map((n) => n.id)));
  const [shown, setShown] = useState<string[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const fresh = live.arrived.filter((n) => !seen.has(n.id));
    if (fresh.length === 0) return;
    fresh.forEach((n) => seen.add(n.id));
    const ids = fresh.map((n) => n.id);
    setShown((s) => [...ids, ...s].slice(0, 3));
    // One timer per arrival, not cancelled by the next one.
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setShown((s) => s.filter((id) => !ids.includes(id)));
    }, 8000);
    timers.current.add(timer);
  }, [live.arrived, seen]);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);
  const items = live.arrived.filter((n) => shown.includes(n.id));
  return (
    <div className="toasts" role="status" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} className={'toast ' + n.severity}>
          <strong>{n.title}</strong>
          <span>{n.body}</span>
        </div>
      ))}
    </div>
  );
}

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </>
  );
}
