import { useEffect, useState, type FormEvent } from 'react';
import { api, get, query, type Page } from '../api';
import { navigate } from '../router';
import { Async, Empty, Field, FormError, Link, LoadMore, PageHeader, useAction, usePaged, when } from '../ui';
import { PRIORITIES, PriorityBadge, SlaBadge, STATUSES, StatusBadge, statusLabel, type TicketView } from './tickets';

const SORTS = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: 'priority', label: 'Priority' },
  { value: 'dueAt', label: 'SLA due soonest' },
];

const splitTags = (text: string) =>
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
          <TicketList filters={filters} />
        </section>
      )}
    </>
  );
}

/** The tickets matching the filters, a page at a time. */
function TicketList({ filters }: { filters: Filters }) {
  const tickets = usePaged(
    (cursor?: string) => get<Page<TicketView>>('/v1/support/tickets' + query({ ...filters, limit: 25, cursor })),
    [filters.status, filters.priority, filters.q, filters.sort],
  );
  const filtered = filters.status || filters.priority || filters.q;

  return (
    <Async state={tickets} label="tickets">
      {() =>
        tickets.items.length === 0 ? (
          <Empty>{filtered ? 'No tickets match these filters.' : 'No tickets yet. Open one with “New ticket”.'}</Empty>
        ) : (
          <>
            <table aria-busy={tickets.loading}>
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
                {tickets.items.map((t) => (
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
            <LoadMore paged={tickets} />
          </>
        )
      }
    </Async>
  );
}

function NewTicket({ onCancel }: { onCancel: () => void }) {
  const [form, setForm] = useState({ subject: '', description: '', priority: 'medium', category: '', tags: '' });
  const create = useAction(async () => {
    const created = await api<TicketView>('POST', '/v1/support/tickets', {
      subject: form.subject,
      description: form.description || undefined,
      priority: form.priority,
      category: form.category.trim() || undefined,
      tags: splitTags(form.tags),
    });
    navigate('/support/' + created.id);
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
