import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, get, query, type Page } from '../api';
import { navigate } from '../router';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, Link, PageHeader, useAction, useLoad, when } from '../ui';
import { SecretOnce } from './ApiKeys';
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

export default function WebhookEndpoint({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const endpoint = useLoad(() => get<Endpoint>('/v1/webhooks/endpoints/' + id), [id]);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretExpiresAt: string | null } | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction(async (run: () => Promise<void>) => {
    setNotice('');
    await run();
  });
  const e = endpoint.data;

  const toggle = () =>
    action.run(async () => {
      await api('PATCH', '/v1/webhooks/endpoints/' + id, { enabled: !e!.enabled });
      endpoint.reload();
    });
  const rotate = () =>
    action.run(async () => {
      if (!window.confirm('Rotate the signing secret? The current one keeps working for a while so receivers can switch.')) return;
      setRotated(await api('POST', `/v1/webhooks/endpoints/${id}/rotate-secret`));
      endpoint.reload();
    });
  const sendTest = () =>
    action.run(async () => {
      await api('POST', `/v1/webhooks/endpoints/${id}/test`);
      setNotice('Test event sent; it appears in the delivery log below.');
    });
  const remove = () =>
    action.run(async () => {
      if (!window.confirm(`Delete the endpoint ${e!.url}? Its deliveries stop at once.`)) return;
      await api('DELETE', '/v1/webhooks/endpoints/' + id);
      navigate('/webhooks');
    });

  return (
    <>
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
            <Recover endpointId={id} />
          </div>
        )}
      </Async>

      <DeliveryLog endpointId={id} />
    </>
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
function Recover({ endpointId }: { endpointId: string }) {
  const [requeued, setRequeued] = useState<number | null>(null);
  const recover = useAction(async (since: string) => {
    const answer = await api<{ deliveries: number }>('POST', `/v1/webhooks/endpoints/${endpointId}/recover`, {
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

/**
 * This endpoint's delivery state of each listed message. The list carries no deliveries, so each
 * message is read once, and again only while its delivery can still change (pending and due).
 */
function useDeliveries(messages: Message[] | undefined, endpointId: string) {
  const [byMessage, setByMessage] = useState<Record<string, Delivery | undefined>>({});
  const inFlight = useRef(new Set<string>());
  const [stale, setStale] = useState(0);

  useEffect(() => {
    const now = Date.now();
    const due = (messages ?? []).filter((m) => {
      if (inFlight.current.has(m.id)) return false;
      if (!(m.id in byMessage)) return true;
      const d = byMessage[m.id];
      return !!d && d.status === 'pending' && (!d.nextAttemptAt || new Date(d.nextAttemptAt).getTime() <= now);
    });
    due.forEach((m) => {
      inFlight.current.add(m.id);
      get<Message>('/v1/webhooks/messages/' + m.id)
        .then(
          (full) => setByMessage((s) => ({ ...s, [m.id]: full.deliveries?.find((d) => d.endpointId === endpointId) })),
          () => undefined, // read again on the next poll
        )
        .finally(() => inFlight.current.delete(m.id));
    });
    // byMessage is read, not a trigger: the next poll brings the next look.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [messages, endpointId, stale]);

  /** Forgets a message's delivery (after a resend) so that it is read again. */
  const forget = (messageId: string) => {
    setByMessage((s) => {
      const next = { ...s };
      delete next[messageId];
      return next;
    });
    setStale((n) => n + 1);
  };
  return { byMessage, forget };
}

function DeliveryStatus({ delivery }: { delivery: Delivery | undefined }) {
  if (!delivery) return <span className="caption">…</span>;
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
  const { byMessage, forget } = useDeliveries(messages.data?.items, endpointId);
  const [open, setOpen] = useState<string | null>(null);
  const { reload } = messages;

  // While the page is open (and the tab visible) new messages show up without a reload.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const resend = useAction(async (messageId: string) => {
    await api('POST', `/v1/webhooks/messages/${messageId}/resend` + query({ endpointId }));
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
                    delivery={byMessage[m.id]}
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
            <button type="button" className="secondary" aria-describedby={id + '-type'} disabled={resending} onClick={onResend}>
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
  const list = useLoad(() => get<Attempt[]>(`/v1/webhooks/messages/${message.id}/attempts`), [message.id, attempts]);
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
