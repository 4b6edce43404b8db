import { useState, type FormEvent } from 'react';
import { api, get, query, type Page } from '../api';
import { changeArrived, setUnreadCount, useLive, type Notification } from '../live';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, Link, LoadMore, PageHeader, useAction, useLoad, usePaged, when } from '../ui';
import './Notifications.css';

const TYPES = ['ticket', 'billing', 'compliance', 'alert', 'info'] as const;
const CHANNELS = ['email', 'slack'] as const;
const SEVERITY_TONE = { info: 'info', warning: 'warn', critical: 'bad' } as const;

type BulkOutcome = { action: string; changed: number; unreadCount: number };
type Filters = { unreadOnly: boolean; type: string };
type RowAction = 'read' | 'unread' | 'delete';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Notification links name API resources ("/v1/support/tickets/…"); the portal page showing that
 * resource is where a person wants to go. Anything else gets no link rather than a raw API URL, and
 * only a path of this site is followed ("//host" and "/\host" lead elsewhere).
 */
function portalPath(link: string): string | null {
  const ticket = link.match(/^\/v1\/support\/tickets\/([\w-]+)(?=[/?#]|$)/);
  if (ticket) return '/support/' + ticket[1];
  const invoice = link.match(/^\/v1\/invoices\/([\w-]+)(?=[/?#]|$)/);
  if (invoice) return '/invoices/' + invoice[1];
  if (link.startsWith('/v1/usage')) return '/';
  if (link.startsWith('/v1/budgets')) return '/forecasts';
  if (link.startsWith('/v1/anomalies')) return '/analytics';
  const sameOrigin = /^\/(?![/\\])/.test(link);
  const apiPath = /^\/v1(?:[/?#]|$)/i.test(link);
  return sameOrigin && !apiPath ? link : null;
}

export default function Notifications() {
  const { can } = useSession();
  const live = useLive();
  const [filters, setFilters] = useState<Filters>({ unreadOnly: false, type: '' });
  // Bumped after "Mark all read" so the list loads again with every row's new state.
  const [round, setRound] = useState(0);
  const readAll = useAction(async () => {
    const type = filters.type;
    // With a type filter the API reads only that type: the other arrivals stay unread.
    const reached = type ? live.arrived.filter((n) => n.type === type).map((n) => n.id) : 'all';
    const outcome = await api<BulkOutcome>('POST', '/v1/notifications/read-all' + query({ type }));
    setUnreadCount(outcome.unreadCount);
    changeArrived(reached, { read: true });
    setRound((n) => n + 1);
  });

  return (
    <div className="notifications-page">
      <PageHeader title="Notifications">
        <button type="button" className="secondary" disabled={readAll.busy} onClick={() => readAll.run()}>
          {filters.type ? `Mark all ${filters.type} read` : 'Mark all read'}
        </button>
      </PageHeader>
      <ErrorNote error={readAll.error} />
      <section className="card" aria-label="Inbox">
        <h2>Inbox</h2>
        <form className="row inbox-filters" aria-label="Filter notifications" onSubmit={(e) => e.preventDefault()}>
          <label className="check">
            <input type="checkbox" checked={filters.unreadOnly} onChange={(e) => setFilters((f) => ({ ...f, unreadOnly: e.target.checked }))} />
            Unread only
          </label>
          <Field label="Type" name="type">
            {(p) => (
              <select {...p} value={filters.type} onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value }))}>
                <option value="">All types</option>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {capitalised(t)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
        {/* A new list per filter and per "Mark all read": it also forgets the rows this page changed. */}
        <Inbox key={JSON.stringify(filters) + round} filters={filters} />
      </section>
      <PreferencesCard title="Preferences" path="/v1/preferences" saveLabel="Save preferences" />
      {can('notifications.tenantSettings') ? (
        <PreferencesCard title="Tenant defaults" path="/v1/preferences/defaults" saveLabel="Save tenant defaults" />
      ) : null}
    </div>
  );
}

/** One filter's inbox: loaded pages, with what the live stream brought since put on top. */
function Inbox({ filters }: { filters: Filters }) {
  const live = useLive();
  const inbox = usePaged((cursor?: string) =>
    get<Page<Notification>>('/v1/notifications' + query({ read: filters.unreadOnly ? 'false' : undefined, type: filters.type, limit: 25, cursor })),
  );
  // What this page changed since loading: the new state of a row, or null once deleted.
  const [changed, setChanged] = useState<Record<string, Notification | null>>({});
  const act = useAction(async (n: Notification, action: RowAction) => {
    const outcome = await api<BulkOutcome>('POST', '/v1/notifications/bulk', { action, ids: [n.id] });
    setUnreadCount(outcome.unreadCount);
    const patch = action === 'delete' ? null : { read: action === 'read', readAt: action === 'read' ? new Date().toISOString() : null };
    changeArrived([n.id], patch);
    setChanged((c) => ({ ...c, [n.id]: patch && { ...n, ...patch } }));
  });

  return (
    <Async state={inbox} label="notifications">
      {() => {
        const known = new Set(inbox.items.map((n) => n.id));
        // A row this page marked read stays in view, as a loaded one does, until the list reloads.
        const arrived = live.arrived.filter(
          (n) => !known.has(n.id) && (!filters.unreadOnly || !n.read || n.id in changed) && (!filters.type || n.type === filters.type),
        );
        const items = [...arrived, ...inbox.items]
          .map((n) => (n.id in changed ? changed[n.id] : n))
          .filter((n): n is Notification => n !== null);
        return (
          <>
            <ErrorNote error={act.error} />
            {items.length === 0 ? (
              <Empty>{filters.unreadOnly || filters.type ? 'No notifications match these filters.' : 'No notifications yet.'}</Empty>
            ) : (
              <ul className="inbox" aria-label="Notifications">
                {items.map((n) => (
                  <NotificationItem key={n.id} notification={n} busy={act.busy} onAction={(action) => act.run(n, action)} />
                ))}
              </ul>
            )}
            <LoadMore paged={inbox} />
          </>
        );
      }}
    </Async>
  );
}

function NotificationItem({
  notification: n,
  busy,
  onAction,
}: {
  notification: Notification;
  busy: boolean;
  onAction: (action: RowAction) => void;
}) {
  const to = n.link ? portalPath(n.link) : null;
  return (
    <li className={n.read ? undefined : 'unread'}>
      <div className="inbox-main">
        <h3>
          {n.read ? null : <Badge tone="info">New</Badge>} {n.title}
        </h3>
        <p>{n.body}</p>
        <div className="inbox-meta">
          <Badge tone={SEVERITY_TONE[n.severity] ?? 'neutral'}>{n.severity}</Badge>
          <span className="caption">
            {capitalised(n.type)} · {when(n.createdAt)}
          </span>
          {to ? (
            <Link to={to} aria-label={`Open: ${n.title}`}>
              Open
            </Link>
          ) : null}
        </div>
      </div>
      <div className="inbox-actions">
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-label={`${n.read ? 'Mark unread' : 'Mark read'}: ${n.title}`}
          onClick={() => onAction(n.read ? 'unread' : 'read')}
        >
          {n.read ? 'Mark unread' : 'Mark read'}
        </button>
        <button type="button" className="danger" disabled={busy} aria-label={`Delete: ${n.title}`} onClick={() => onAction('delete')}>
          Delete
        </button>
      </div>
    </li>
  );
}

type Setting = { enabled: boolean; source: 'user' | 'tenant' | 'default' };
type PreferencesView = { preferences: Record<string, Record<string, Setting>>; inApp: string; critical: string };
type Choice = 'on' | 'off' | 'inherit';

/** A cell as its own choice (user-level on the own page, tenant-level on the defaults page), or inherited. */
function choiceOf(setting: Setting, ownSource: Setting['source']): Choice {
  if (setting.source !== ownSource) return 'inherit';
  return setting.enabled ? 'on' : 'off';
}

/** The channel matrix: one select per type and channel; only the cells changed are sent. */
function PreferencesCard({ title, path, saveLabel }: { title: string; path: string; saveLabel: string }) {
  const prefs = useLoad(() => get<PreferencesView>(path), [path]);
  const [saved, setSaved] = useState(false);
  return (
    <Card title={title}>
      <Async state={prefs} label={title.toLowerCase()}>
        {(view) => (
          <PreferencesForm
            key={JSON.stringify(view.preferences)}
            view={view}
            path={path}
            title={title}
            saveLabel={saveLabel}
            tenantLevel={path.endsWith('/defaults')}
            saved={saved}
            onSaved={(ok) => {
              setSaved(ok);
              if (ok) prefs.reload();
            }}
          />
        )}
      </Async>
    </Card>
  );
}

function PreferencesForm({
  view,
  path,
  title,
  saveLabel,
  tenantLevel,
  saved,
  onSaved,
}: {
  view: PreferencesView;
  path: string;
  title: string;
  saveLabel: string;
  tenantLevel: boolean;
  saved: boolean;
  onSaved: (ok: boolean) => void;
}) {
  const ownSource = tenantLevel ? 'tenant' : 'user';
  const initial = (type: string, channel: string) => choiceOf(view.preferences[type][channel], ownSource);
  const [draft, setDraft] = useState<Record<string, Choice>>({});
  const save = useAction(async () => {
    const changes: Record<string, Record<string, boolean | null>> = {};
    Object.entries(draft).forEach(([key, choice]) => {
      const [type, channel] = key.split('.');
      if (choice === initial(type, channel)) return;
      (changes[type] ??= {})[channel] = choice === 'inherit' ? null : choice === 'on';
    });
    await api('PUT', path, { preferences: changes });
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onSaved(await save.run());
  };
  const types = Object.keys(view.preferences);
  // An inherited cell says what it currently resolves to; a cell set at this level cannot know that.
  const inheritedLabel = (s: Setting) =>
    s.source === ownSource
      ? tenantLevel
        ? 'Built-in'
        : 'Default'
      : `${s.source === 'tenant' ? 'Tenant default' : 'Built-in'} (${s.enabled ? 'on' : 'off'})`;

  return (
    <form className="stack preferences" onSubmit={submit} onChange={() => onSaved(false)}>
      <p className="caption">
        {tenantLevel
          ? 'What members get for each kind of notification until they choose for themselves.'
          : 'Where each kind of notification reaches you besides this inbox.'}{' '}
        In-app: {view.inApp}. Critical: {view.critical}.
      </p>
      <table>
        <caption className="sr-only">{title} by type and channel</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            {CHANNELS.map((c) => (
              <th scope="col" key={c}>
                {capitalised(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {types.map((type) => (
            <tr key={type}>
              <th scope="row">{capitalised(type)}</th>
              {CHANNELS.map((channel) => {
                const setting = view.preferences[type]?.[channel];
                if (!setting) return <td key={channel}>—</td>;
                const key = type + '.' + channel;
                return (
                  <td key={channel}>
                    <select
                      aria-label={`${capitalised(type)} notifications by ${channel}`}
                      value={draft[key] ?? initial(type, channel)}
                      onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value as Choice }))}
                    >
                      <option value="on">On</option>
                      <option value="off">Off</option>
                      <option value="inherit">{inheritedLabel(setting)}</option>
                    </select>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={save.error} fields={[]} />
      <div className="row">
        <button type="submit" disabled={save.busy}>
          {saveLabel}
        </button>
        {saved ? (
          <span role="status" className="caption">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
