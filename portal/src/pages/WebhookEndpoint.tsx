import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, get, query, type Page } from '../api';
import { navigate } from '../router';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, Link, PageHeader, SecretOnce, useAction, useLoad, usePoll, when } from '../ui';
import { EndpointStatus, eventTypesText, type Delivery, type Endpoint } from './Webhooks';
import './WebhookEndpoint.css';

type Message = {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  createdAt: string;
  payload: string;
  /** Only GET /messages/{id} fills it; the list leaves it null. */
  deliveries: Delivery[] | null;
};

type Attempt = {
  id: number;
  deliveryId: string;
  endpointId: string;
  attemptedAt: string;
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
};

const POLL_MS = 3000;
/** Message reads per look at the list: more at once every few seconds gets rate-limited. */
const READS_PER_POLL = 5;

export default function WebhookEndpoint({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const path = '/v1/webhooks/endpoints/' + encodeURIComponent(id);
  const endpoint = useLoad(() => get<Endpoint>(path), [path]);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretExpiresAt: string | null } | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction(async (run: () => Promise<void>) => {
    setNotice('');
    await run();
  });
  const e = endpoint.data;

  const toggle = () =>
    action.run(async () => {
      await api('PATCH', path, { enabled: !e!.enabled });
      endpoint.reload();
    });
  const rotate = () =>
    action.run(async () => {
      if (!window.confirm('Rotate the signing secret? The current one keeps working for a while so receivers can switch.')) return;
      setRotated(await api('POST', path + '/rotate-secret'));
      endpoint.reload();
    });
  const sendTest = () =>
    action.run(async () => {
      await api('POST', path + '/test');
      setNotice('Test event sent; it appears in the delivery log below.');
    });
  const remove = () =>
    action.run(async () => {
      if (!window.confirm(`Delete the endpoint ${e!.url}? Its deliveries stop at once.`)) return;
      await api('DELETE', path);
      navigate('/webhooks');
    });

  return (
    <div className="webhook-endpoint-page">
      <p className="caption">
        <Link to="/webhooks">Webhooks</Link>
      </p>
      <PageHeader title={e?.url ?? 'Webhook endpoint'}>
        {e ? (
          <>
            <button type="button" className="secondary" disabled={action.busy} onClick={toggle}>
              {e.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" className="secondary" disabled={action.busy} onClick={rotate}>
              Rotate secret
            </button>
            <button type="button" disabled={action.busy} onClick={sendTest}>
              Send test event
            </button>
            <button type="button" className="danger" disabled={action.busy} onClick={remove}>
              Delete endpoint
            </button>
          </>
        ) : null}
      </PageHeader>
      <ErrorNote error={action.error} />
      <p role="status" className={notice ? 'notice' : 'sr-only'}>
        {notice}
      </p>

      {rotated ? (
        <Card title="New signing secret">
          <SecretOnce label="Endpoint signing secret" value={rotated.secret}>
            {rotated.previousSecretExpiresAt ? `The previous secret keeps working until ${when(rotated.previousSecretExpiresAt)}.` : null}
          </SecretOnce>
          <div className="row">
            <button type="button" className="secondary" onClick={() => setRotated(null)}>
              Done
            </button>
          </div>
        </Card>
      ) : null}

      <Async state={endpoint} label="endpoint">
        {(ep) => (
          <div className="grid">
            <Card title="Details">
              <ul className="rows">
                <Detail term="Status">
                  <EndpointStatus endpoint={ep} />
                </Detail>
                <Detail term="Description">{ep.description || '—'}</Detail>
                <Detail term="Events">
                  <span className="mono">{eventTypesText(ep.eventTypes)}</span>
                </Detail>
                <Detail term="Rate limit">{ep.rateLimitPerSecond ? `${ep.rateLimitPerSecond} per second` : 'None'}</Detail>
                <Detail term="Failing since">{when(ep.failingSince)}</Detail>
                <Detail term="Secret rotated">{when(ep.secretRotatedAt)}</Detail>
                <Detail term="Created">{when(ep.createdAt)}</Detail>
              </ul>
            </Card>
            <Recover endpointPath={path} />
          </div>
        )}
      </Async>

      {/* Keyed: another endpoint starts with an empty cache of message reads. */}
      <DeliveryLog key={id} endpointId={id} />
    </div>
  );
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <li>
      <span className="caption detail-term">{term}</span>
      <span>{children}</span>
    </li>
  );
}

/** Requeues this endpoint's dead letters since a moment (after an outage on the receiving side). */
function Recover({ endpointPath }: { endpointPath: string }) {
  const [requeued, setRequeued] = useState<number | null>(null);
  const recover = useAction(async (since: string) => {
    const answer = await api<{ deliveries: number }>('POST', endpointPath + '/recover', {
      since: since ? new Date(since).toISOString() : undefined,
    });
    setRequeued(answer.deliveries);
  });
  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    setRequeued(null);
    recover.run(String(new FormData(ev.currentTarget).get('since') ?? ''));
  };
  return (
    <Card title="Recover failed deliveries">
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Dead letters since" name="since" error={recover.error} hint="Sends them again, oldest first.">
          {(p) => <input {...p} type="datetime-local" required />}
        </Field>
        <FormError error={recover.error} fields={['since']} />
        <div className="row">
          <button type="submit" className="secondary" disabled={recover.busy}>
            Recover
          </button>
          <span role="status" className="caption">
            {requeued === null ? '' : requeued === 1 ? '1 delivery requeued.' : `${requeued} deliveries requeued.`}
          </span>
        </div>
      </form>
    </Card>
  );
}

type Read = { delivery: Delivery | undefined; list: Page<Message> };

/**
 * This endpoint's delivery state of each listed message. The list carries no deliveries, so each
 * message is read on its own: once, and again only while its delivery can still change (pending
 * and due), at most READS_PER_POLL per look at the list, the unread ones first.
 */
function useDeliveries(list: Page<Message> | undefined, endpointId: string) {
  const [reads, setReads] = useState<Record<string, Read>>({});
  const reading = useRef(new Set<string>());
  // Bumped by forget(): a read started before a resend answers for the old delivery and is dropped.
  const generations = useRef(new Map<string, number>());

  useEffect(() => {
    if (!list) return;
    const now = Date.now();
    const unread = list.items.filter((m) => !reading.current.has(m.id) && !(m.id in reads));
    const changing = list.items.filter((m) => {
      const read = reads[m.id];
      if (!read || read.list === list || reading.current.has(m.id)) return false;
      const d = read.delivery;
      return !d || (d.status === 'pending' && (!d.nextAttemptAt || new Date(d.nextAttemptAt).getTime() <= now));
    });
    [...unread, ...changing].slice(0, READS_PER_POLL).forEach((m) => {
      const generation = generations.current.get(m.id) ?? 0;
      const settle = (delivery: (before: Delivery | undefined) => Delivery | undefined) => {
        if ((generations.current.get(m.id) ?? 0) !== generation) return;
        reading.current.delete(m.id);
        setReads((s) => ({ ...s, [m.id]: { delivery: delivery(s[m.id]?.delivery), list } }));
      };
      reading.current.add(m.id);
      get<Message>('/v1/webhooks/messages/' + encodeURIComponent(m.id)).then(
        (full) => settle(() => full.deliveries?.find((d) => d.endpointId === endpointId)),
        () => settle((before) => before), // read again at the next look
      );
    });
    // reads is looked at, not a trigger: each new look at the list brings the next reads.
  }, [list, endpointId]);

  /** Forgets a message's delivery (after a resend) so that the next look reads it again. */
  const forget = (messageId: string) => {
    generations.current.set(messageId, (generations.current.get(messageId) ?? 0) + 1);
    reading.current.delete(messageId);
    setReads((s) => {
      const next = { ...s };
      delete next[messageId];
      return next;
    });
  };
  return { deliveryOf: (messageId: string) => reads[messageId]?.delivery, forget };
}

function DeliveryStatus({ delivery }: { delivery: Delivery | undefined }) {
  if (!delivery) return <span className="caption">Checking…</span>;
  const code = delivery.lastStatusCode ? ` · HTTP ${delivery.lastStatusCode}` : '';
  if (delivery.status === 'succeeded') return <Badge tone="good">Succeeded{code}</Badge>;
  if (delivery.status === 'dead') return <Badge tone="bad">Dead-lettered{code}</Badge>;
  if (delivery.attempts === 0) return <Badge tone="neutral">Pending</Badge>;
  return (
    <>
      <Badge tone="warn">Retrying{code}</Badge>
      {delivery.nextAttemptAt ? <span className="caption"> next {when(delivery.nextAttemptAt)}</span> : null}
    </>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const messages = useLoad(() => get<Page<Message>>('/v1/webhooks/messages' + query({ endpointId, limit: 25 })), [endpointId]);
  const { deliveryOf, forget } = useDeliveries(messages.data, endpointId);
  const [open, setOpen] = useState<string | null>(null);
  const { reload } = messages;

  // While the page is open (and the tab visible) new messages show up without a reload; a failed
  // look keeps the table, with the error above it.
  usePoll(messages.reload, POLL_MS);

  const resend = useAction(async (messageId: string) => {
    await api('POST', `/v1/webhooks/messages/${encodeURIComponent(messageId)}/resend` + query({ endpointId }));
    forget(messageId);
    reload();
  });

  return (
    <Card title="Delivery log">
      <div className="row log-toolbar">
        <span className="caption">Newest first; refreshes every few seconds.</span>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <FormError error={resend.error} fields={[]} />
      <Async state={messages} label="delivery log">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No messages yet. Send a test event to see one here.</Empty>
          ) : (
            <table data-testid="delivery-log">
              <caption className="sr-only">Messages to this endpoint, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event type</th>
                  <th scope="col">Created</th>
                  <th scope="col">Delivery</th>
                  <th scope="col" className="num">Attempts</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => (
                  <MessageRow
                    key={m.id}
                    message={m}
                    delivery={deliveryOf(m.id)}
                    endpointId={endpointId}
                    open={open === m.id}
                    onToggle={() => setOpen((o) => (o === m.id ? null : m.id))}
                    onResend={() => resend.run(m.id)}
                    resending={resend.busy}
                  />
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
      {messages.data?.nextCursor ? <p className="caption">Showing the 25 newest messages.</p> : null}
    </Card>
  );
}

function MessageRow({
  message,
  delivery,
  endpointId,
  open,
  onToggle,
  onResend,
  resending,
}: {
  message: Message;
  delivery: Delivery | undefined;
  endpointId: string;
  open: boolean;
  onToggle: () => void;
  onResend: () => void;
  resending: boolean;
}) {
  const id = useId();
  return (
    <>
      <tr>
        <td className="mono" id={id + '-type'}>
          {message.eventType}
        </td>
        <td>{when(message.createdAt)}</td>
        <td>
          <DeliveryStatus delivery={delivery} />
        </td>
        <td className="num">{delivery?.attempts ?? '—'}</td>
        <td>
          <div className="row row-actions">
            <button type="button" className="secondary" aria-expanded={open} aria-controls={id + '-details'} aria-describedby={id + '-type'} onClick={onToggle}>
              Details
            </button>
            <button
              type="button"
              className="secondary"
              aria-label={`Resend ${message.eventType} of ${when(message.createdAt)}`}
              disabled={resending}
              onClick={onResend}
            >
              Resend
            </button>
          </div>
        </td>
      </tr>
      {open ? (
        <tr id={id + '-details'}>
          <td colSpan={5}>
            <MessageDetails message={message} endpointId={endpointId} attempts={delivery?.attempts ?? 0} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** A message's attempts to this endpoint (read again when a new one is counted) and its payload. */
function MessageDetails({ message, endpointId, attempts }: { message: Message; endpointId: string; attempts: number }) {
  const list = useLoad(() => get<Attempt[]>(`/v1/webhooks/messages/${encodeURIComponent(message.id)}/attempts`), [message.id, attempts]);
  return (
    <div className="stack message-details">
      <h3 className="caption">
        Attempts of <span className="mono">{message.webhookId}</span>
      </h3>
      <Async state={list} label="attempts">
        {(all) => {
          const mine = all.filter((a) => a.endpointId === endpointId);
          return mine.length === 0 ? (
            <Empty>Not attempted yet.</Empty>
          ) : (
            <table>
              <caption className="sr-only">Attempts of {message.webhookId} to this endpoint</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="num">Status code</th>
                  <th scope="col" className="num">Latency</th>
                  <th scope="col">Response</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((a) => (
                  <tr key={a.id}>
                    <td>{when(a.attemptedAt)}</td>
                    <td>{a.outcome.replace(/_/g, ' ')}</td>
                    <td className="num">{a.statusCode ?? '—'}</td>
                    <td className="num">{a.latencyMs} ms</td>
                    <td className="mono">{a.responseExcerpt || a.error || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Async>
      <h3 className="caption">Payload</h3>
      <pre>{pretty(message.payload)}</pre>
    </div>
  );
}
