import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, get, query, type Page } from '../api';
import { navigate } from '../router';
import { Async, Badge, Empty, ErrorNote, Field, FormError, Link, PageHeader, useAction, useLoad, when } from '../ui';

export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];

export type Sla = {
  state: 'pending' | 'met' | 'breached';
  targetMinutes: number;
  firstResponseDueAt?: string | null;
  respondedAt?: string | null;
  breachedAt?: string | null;
  secondsLeft?: number | null;
};

export type TicketView = {
  id: string;
  subject: string;
  description?: string | null;
  priority: Priority;
  category?: string | null;
  status: Status;
  assigneeId?: string | null;
  requesterId: string;
  tags: string[];
  sla?: Sla | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string | null;
  closedAt?: string | null;
};

const SORTS = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: 'priority', label: 'Priority' },
  { value: 'dueAt', label: 'SLA due soonest' },
];

export const statusLabel = (s: string) => s.replace('_', ' ');

export function StatusBadge({ status }: { status: Status }) {
  const tone = status === 'open' ? 'info' : status === 'in_progress' ? 'warn' : status === 'resolved' ? 'good' : 'neutral';
  return <Badge tone={tone}>{statusLabel(status)}</Badge>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const tone = priority === 'critical' || priority === 'high' ? 'bad' : priority === 'medium' ? 'warn' : 'neutral';
  return <Badge tone={tone}>{priority}</Badge>;
}

function duration(seconds: number): string {
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d`;
}

/** The first-response SLA in words: met, breached, or how long is left. */
export function SlaBadge({ sla }: { sla?: Sla | null }) {
  if (!sla) return <span className="caption">—</span>;
  if (sla.state === 'met') return <Badge tone="good">SLA met</Badge>;
  if (sla.state === 'breached') return <Badge tone="bad">SLA breached {when(sla.breachedAt)}</Badge>;
  const left = sla.secondsLeft ?? 0;
  if (left <= 0) return <Badge tone="bad">SLA overdue</Badge>;
  return (
    <Badge tone={left < 3600 ? 'warn' : 'info'}>
      <span title={'Due ' + when(sla.firstResponseDueAt)}>SLA due in {duration(left)}</span>
    </Badge>
  );
}

/**
 * Bean validation names list elements ("tags[1]"); the form has one Tags field, so such messages
 * are folded onto it to appear next to that field.
 */
export function foldListFields(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new ApiError(
    error.status,
    error.title,
    error.detail,
    error.fieldErrors.map((f) => ({ ...f, field: f.field.replace(/\[\d+\]$/, '') })),
  );
}

export const splitTags = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

type Filters = { status: string; priority: string; q: string; sort: string };

export default function Support() {
  const [creating, setCreating] = useState(false);
  const [filters, setFilters] = useState<Filters>({ status: '', priority: '', q: '', sort: '' });
  const [search, setSearch] = useState('');

  // Searching on every keystroke would send a request per letter; wait for a pause in typing.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === search.trim() ? f : { ...f, q: search.trim() })), 300);
    return () => clearTimeout(t);
  }, [search]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <>
      <PageHeader title="Support">
        <button type="button" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
          New ticket
        </button>
      </PageHeader>
      {/* The form takes the list's place: its Subject and Priority stay the only fields so named. */}
      {creating ? (
        <NewTicket onCancel={() => setCreating(false)} />
      ) : (
        <section className="card" aria-label="Tickets">
          <h2>Tickets</h2>
          <form className="row" role="search" aria-label="Filter tickets" onSubmit={(e) => e.preventDefault()}>
            <Field label="Search" name="q">
              {(p) => <input {...p} type="search" value={search} onChange={(e) => setSearch(e.target.value)} maxLength={200} placeholder="Subject, description, comments" />}
            </Field>
            <Field label="Status" name="status">
              {(p) => (
                <select {...p} value={filters.status} onChange={(e) => set({ status: e.target.value })}>
                  <option value="">Any status</option>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {statusLabel(s)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Priority" name="priority">
              {(p) => (
                <select {...p} value={filters.priority} onChange={(e) => set({ priority: e.target.value })}>
                  <option value="">Any priority</option>
                  {PRIORITIES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Sort" name="sort">
              {(p) => (
                <select {...p} value={filters.sort || (filters.q ? '' : '-createdAt')} onChange={(e) => set({ sort: e.target.value })}>
                  {filters.q ? <option value="">Best match</option> : null}
                  {SORTS.map((s) => (
                    <option key={s.value} value={s.value}>
                      {s.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </form>
          <TicketList key={JSON.stringify(filters)} filters={filters} />
        </section>
      )}
    </>
  );
}

/** One filter's pages: the first loads by itself, "Load more" appends the next. */
function TicketList({ filters }: { filters: Filters }) {
  const pathFor = (cursor?: string) => '/v1/support/tickets' + query({ ...filters, limit: 25, cursor });
  const first = useLoad(() => get<Page<TicketView>>(pathFor()), []);
  const [later, setLater] = useState<Page<TicketView>[]>([]);
  const more = useAction(async (cursor: string) => {
    const page = await get<Page<TicketView>>(pathFor(cursor));
    setLater((pages) => [...pages, page]);
  });
  const filtered = filters.status || filters.priority || filters.q;

  return (
    <Async state={first} label="tickets">
      {(page) => {
        const items = [page, ...later].flatMap((p) => p.items);
        const nextCursor = (later.at(-1) ?? page).nextCursor;
        if (items.length === 0) return <Empty>{filtered ? 'No tickets match these filters.' : 'No tickets yet. Open one with “New ticket”.'}</Empty>;
        return (
          <>
            <table>
              <caption className="sr-only">Tickets</caption>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Priority</th>
                  <th scope="col">First response</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={'/support/' + t.id}>{t.subject}</Link>
                      {t.tags.length > 0 ? <div className="caption">{t.tags.join(', ')}</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={t.status} />
                    </td>
                    <td>
                      <PriorityBadge priority={t.priority} />
                    </td>
                    <td>
                      <SlaBadge sla={t.sla} />
                    </td>
                    <td>{when(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ErrorNote error={more.error} />
            {nextCursor ? (
              <p>
                <button type="button" className="secondary" disabled={more.busy} onClick={() => more.run(nextCursor)}>
                  {more.busy ? 'Loading…' : 'Load more'}
                </button>
              </p>
            ) : null}
          </>
        );
      }}
    </Async>
  );
}

function NewTicket({ onCancel }: { onCancel: () => void }) {
  const [form, setForm] = useState({ subject: '', description: '', priority: 'medium', category: '', tags: '' });
  const create = useAction(async () => {
    try {
      const created = await api<TicketView>('POST', '/v1/support/tickets', {
        subject: form.subject,
        description: form.description || undefined,
        priority: form.priority,
        category: form.category.trim() || undefined,
        tags: splitTags(form.tags),
      });
      navigate('/support/' + created.id);
    } catch (e) {
      throw foldListFields(e);
    }
  });
  const change = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run();
  };

  return (
    <section className="card" aria-label="New ticket">
      <h2>New ticket</h2>
      {/* noValidate: the API's own messages (e.g. a blank subject) are the ones shown. */}
      <form className="stack" noValidate onSubmit={submit}>
        <Field label="Subject" name="subject" error={create.error}>
          {(p) => <input {...p} value={form.subject} onChange={change('subject')} maxLength={500} autoFocus />}
        </Field>
        <Field label="Description" name="description" error={create.error}>
          {(p) => <textarea {...p} value={form.description} onChange={change('description')} />}
        </Field>
        <div className="row">
          <Field label="Priority" name="priority" error={create.error}>
            {(p) => (
              <select {...p} value={form.priority} onChange={change('priority')}>
                {PRIORITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Category" name="category" error={create.error} hint="Optional">
            {(p) => <input {...p} value={form.category} onChange={change('category')} />}
          </Field>
        </div>
        <Field label="Tags" name="tags" error={create.error} hint="Optional, comma separated">
          {(p) => <input {...p} value={form.tags} onChange={change('tags')} placeholder="billing, api" />}
        </Field>
        <FormError error={create.error} fields={['subject', 'description', 'priority', 'category', 'tags']} />
        <div className="row">
          <button type="submit" disabled={create.busy}>
            Create ticket
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
