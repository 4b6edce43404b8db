import { useState, type FormEvent } from 'react';
import { api, get } from '../api';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, Field, FormError, Link, PageHeader, useAction, useLoad, when } from '../ui';
import './Ticket.css';
import { PRIORITIES, PriorityBadge, SlaBadge, STATUSES, StatusBadge, statusLabel, type Priority, type Status, type TicketView } from './tickets';

type Comment = { id: string; ticketId: string; authorId: string; visibility: 'public' | 'internal'; body: string; createdAt: string };

export default function Ticket({ params }: { params: Record<string, string> }) {
  const path = '/v1/support/tickets/' + encodeURIComponent(params.id);
  const ticket = useLoad(() => get<TicketView>(path), [path]);

  return (
    <div className="ticket-page">
      <PageHeader title={ticket.data?.subject ?? 'Ticket'}>
        <Link to="/support">All tickets</Link>
      </PageHeader>
      <Async state={ticket} label="ticket">
        {(t) => (
          <>
            <div className="grid">
              <Details ticket={t} />
              {/* Keyed by version: after a change the selects start from what the ticket now is. */}
              <Changes key={t.version} ticket={t} path={path} onChanged={ticket.reload} />
            </div>
            <Comments path={path} onAdded={ticket.reload} />
          </>
        )}
      </Async>
    </div>
  );
}

function Details({ ticket: t }: { ticket: TicketView }) {
  const sla = t.sla;
  return (
    <Card title="Details">
      <p className="row">
        <StatusBadge status={t.status} />
        <PriorityBadge priority={t.priority} />
        <SlaBadge sla={sla} />
      </p>
      {t.description ? <p className="description">{t.description}</p> : <Empty>No description.</Empty>}
      <dl className="facts">
        <dt>First response due</dt>
        <dd>
          {when(sla?.firstResponseDueAt)}
          {sla?.targetMinutes ? <span className="caption"> (target {sla.targetMinutes} min)</span> : null}
        </dd>
        {sla?.respondedAt ? (
          <>
            <dt>First response</dt>
            <dd>{when(sla.respondedAt)}</dd>
          </>
        ) : null}
        <dt>Requester</dt>
        <dd className="mono">{t.requesterId}</dd>
        <dt>Assignee</dt>
        <dd className={t.assigneeId ? 'mono' : undefined}>{t.assigneeId ?? 'Unassigned'}</dd>
        <dt>Category</dt>
        <dd>{t.category || '—'}</dd>
        <dt>Tags</dt>
        <dd>{t.tags.length ? t.tags.map((tag) => <Badge key={tag}>{tag}</Badge>) : '—'}</dd>
        <dt>Created</dt>
        <dd>{when(t.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{when(t.updatedAt)}</dd>
        {t.resolvedAt ? (
          <>
            <dt>Resolved</dt>
            <dd>{when(t.resolvedAt)}</dd>
          </>
        ) : null}
        {t.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd>{when(t.closedAt)}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

function Changes({ ticket, path, onChanged }: { ticket: TicketView; path: string; onChanged: () => void }) {
  const { can } = useSession();
  const staff = can('support.staff');
  const [status, setStatus] = useState<Status>(ticket.status);
  const [priority, setPriority] = useState<Priority>(ticket.priority);
  const patch = (body: Partial<TicketView>) => api<TicketView>('PATCH', path, body).then(onChanged);
  const moveStatus = useAction(() => patch({ status }));
  const changePriority = useAction(() => patch({ priority }));
  const submit = (action: { run: () => Promise<boolean> }) => (e: FormEvent) => {
    e.preventDefault();
    action.run();
  };

  return (
    <Card title="Update">
      <form className="stack" onSubmit={submit(moveStatus)}>
        <Field
          label="Status"
          name="status"
          error={moveStatus.error}
          hint={staff ? 'open → in progress → resolved → closed; a resolved ticket can be reopened.' : 'You can close a resolved ticket or reopen it.'}
        >
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormError error={moveStatus.error} fields={['status']} />
        <div className="row">
          <button type="submit" disabled={moveStatus.busy || status === ticket.status}>
            Update status
          </button>
        </div>
      </form>
      {staff ? (
        <form className="stack priority-form" onSubmit={submit(changePriority)}>
          <Field label="Priority" name="priority" error={changePriority.error} hint="Changes the SLA deadline until the first response.">
            {(p) => (
              <select {...p} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
                {PRIORITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FormError error={changePriority.error} fields={['priority']} />
          <div className="row">
            <button type="submit" disabled={changePriority.busy || priority === ticket.priority}>
              Update priority
            </button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}

function Comments({ path, onAdded }: { path: string; onAdded: () => void }) {
  const { can } = useSession();
  const staff = can('support.staff');
  const comments = useLoad(() => get<Comment[]>(path + '/comments'), [path]);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Comment['visibility']>('public');
  const add = useAction(async () => {
    await api('POST', path + '/comments', { body, visibility });
    setBody('');
    comments.reload();
    // A staff reply stops the SLA clock: the ticket's details change too.
    onAdded();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.run();
  };

  return (
    <Card title="Comments">
      <Async state={comments} label="comments">
        {(list) =>
          list.length === 0 ? (
            <Empty>No comments yet.</Empty>
          ) : (
            <ul className="rows comments">
              {list.map((c) => (
                <li key={c.id} className={c.visibility === 'internal' ? 'internal' : undefined}>
                  <div className="comment-meta">
                    <span className="mono">{c.authorId}</span>
                    <span className="caption">{when(c.createdAt)}</span>
                    {c.visibility === 'internal' ? <Badge tone="warn">Internal note</Badge> : null}
                  </div>
                  <p className="description">{c.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {/* noValidate: a blank comment gets the API's message next to the field. */}
      <form className="stack comment-form" noValidate onSubmit={submit}>
        <Field label="Comment" name="body" error={add.error}>
          {(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        {staff ? (
          <Field label="Visibility" name="visibility" error={add.error} hint="Internal notes are never shown to the requester.">
            {(p) => (
              <select {...p} value={visibility} onChange={(e) => setVisibility(e.target.value as Comment['visibility'])}>
                <option value="public">Public reply</option>
                <option value="internal">Internal (staff only)</option>
              </select>
            )}
          </Field>
        ) : null}
        <FormError error={add.error} fields={['body', 'visibility']} />
        <div className="row">
          <button type="submit" disabled={add.busy}>
            Add comment
          </button>
        </div>
      </form>
    </Card>
  );
}
