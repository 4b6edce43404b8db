import { useState, type FormEvent } from 'react';
import { api, get, query, type Page } from '../api';
import { navigate } from '../router';
import { Async, Badge, Card, Empty, Field, FormError, Link, LoadMore, PageHeader, SecretOnce, useAction, usePaged, when } from '../ui';

export type Endpoint = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  rateLimitPerSecond: number | null;
  secretRotatedAt: string | null;
  failingSince: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Delivery = {
  id: string;
  messageId: string;
  webhookId: string;
  endpointId: string;
  status: 'pending' | 'succeeded' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deadLetteredAt: string | null;
  eventType: string;
  createdAt: string;
};

/** The endpoint's state in words as well as colour. */
export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  return endpoint.enabled ? (
    <Badge tone="good">Enabled</Badge>
  ) : (
    <>
      <Badge tone="bad">Disabled</Badge>
      {endpoint.disabledReason ? <span className="caption"> {endpoint.disabledReason}</span> : null}
    </>
  );
}

export const eventTypesText = (types: string[] | null) => (types && types.length > 0 ? types.join(', ') : 'All events');

/** "a, b c" → ["a", "b", "c"]: commas, spaces and new lines all separate event types. */
const eventTypeList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export default function Webhooks() {
  const endpoints = usePaged((cursor) => get<Page<Endpoint>>('/v1/webhooks/endpoints' + query({ limit: 100, cursor })));
  const deadLetters = usePaged((cursor) => get<Page<Delivery>>('/v1/webhooks/dead-letters' + query({ limit: 25, cursor })));
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<{ endpoint: Endpoint; secret: string } | null>(null);

  const add = useAction(async (form: FormData) => {
    const rate = String(form.get('rateLimitPerSecond') ?? '').trim();
    const answer = await api<{ endpoint: Endpoint; secret: string }>('POST', '/v1/webhooks/endpoints', {
      url: String(form.get('url') ?? '').trim(),
      description: String(form.get('description') ?? '').trim() || undefined,
      eventTypes: eventTypeList(String(form.get('eventTypes') ?? '')),
      rateLimitPerSecond: rate ? Number(rate) : undefined,
    });
    setAdded(answer);
    setAdding(false);
    endpoints.reload();
  });

  const resend = useAction(async (d: Delivery) => {
    await api('POST', `/v1/webhooks/messages/${encodeURIComponent(d.messageId)}/resend` + query({ endpointId: d.endpointId }));
    deadLetters.reload();
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    add.run(new FormData(e.currentTarget));
  };

  const urlOf = (id: string) => endpoints.items.find((e) => e.id === id)?.url ?? id;

  return (
    <>
      <PageHeader title="Webhooks">
        {!adding ? (
          <button
            type="button"
            onClick={() => {
              setAdding(true);
              setAdded(null);
              add.setError(null);
            }}
          >
            Add endpoint
          </button>
        ) : null}
      </PageHeader>

      {added ? (
        <Card title="Endpoint added">
          <SecretOnce label="Endpoint signing secret" value={added.secret}>
            Verify each delivery's signature with it; rotating it later gives a new one.
          </SecretOnce>
          <div className="row">
            <button type="button" onClick={() => navigate('/webhooks/' + added.endpoint.id)}>
              Open endpoint
            </button>
            <button type="button" className="secondary" onClick={() => setAdded(null)}>
              Done
            </button>
          </div>
        </Card>
      ) : null}

      {adding ? (
        <Card title="Add an endpoint">
          <form className="stack" onSubmit={submit} noValidate>
            <Field label="URL" name="url" error={add.error} hint="An https URL that answers 2xx to a POST.">
              {(p) => <input {...p} type="url" required maxLength={2048} placeholder="https://example.com/webhooks/securebase" autoFocus />}
            </Field>
            <Field label="Description" name="description" error={add.error}>
              {(p) => <input {...p} maxLength={500} />}
            </Field>
            <Field
              label="Event types"
              name="eventTypes"
              error={add.error}
              hint="Comma separated catalog types, e.g. securebase.support.ticket.created, securebase.billing.invoice.finalized. Empty: every event."
            >
              {(p) => <textarea {...p} rows={2} className="mono" />}
            </Field>
            <Field label="Rate limit per second" name="rateLimitPerSecond" error={add.error} hint="Optional; deliveries beyond it wait their turn.">
              {(p) => <input {...p} type="number" min={1} max={10000} step={1} inputMode="numeric" />}
            </Field>
            <FormError error={add.error} fields={['url', 'description', 'eventTypes', 'rateLimitPerSecond']} />
            <div className="row">
              <button type="submit" disabled={add.busy}>
                Add endpoint
              </button>
              <button type="button" className="secondary" onClick={() => setAdding(false)}>
                Cancel
              </button>
            </div>
          </form>
        </Card>
      ) : null}

      <Card title="Endpoints">
        <Async state={endpoints} label="endpoints">
          {() =>
            endpoints.items.length === 0 ? (
              <Empty>No endpoints yet. Add one to receive the platform's events as signed HTTP requests.</Empty>
            ) : (
              <table>
                <caption className="sr-only">Webhook endpoints</caption>
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Description</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                    <th scope="col">Failing since</th>
                  </tr>
                </thead>
                <tbody>
                  {endpoints.items.map((e) => (
                    <tr key={e.id}>
                      <td className="mono">
                        <Link to={'/webhooks/' + e.id}>{e.url}</Link>
                      </td>
                      <td>{e.description || '—'}</td>
                      <td className="mono">{eventTypesText(e.eventTypes)}</td>
                      <td>
                        <EndpointStatus endpoint={e} />
                      </td>
                      <td>{when(e.failingSince)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
        <LoadMore paged={endpoints} label="More endpoints" />
      </Card>

      <Card title="Dead letters">
        <FormError error={resend.error} fields={[]} />
        <Async state={deadLetters} label="dead letters">
          {() =>
            deadLetters.items.length === 0 ? (
              <Empty>No dead letters: every delivery succeeded or is still being retried.</Empty>
            ) : (
              <table>
                <caption className="sr-only">Dead letters: deliveries given up after their last retry, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event type</th>
                    <th scope="col">Endpoint</th>
                    <th scope="col" className="num">Attempts</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Given up</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {deadLetters.items.map((d) => (
                    <tr key={d.id}>
                      <td className="mono">{d.eventType}</td>
                      <td className="mono">
                        <Link to={'/webhooks/' + d.endpointId}>{urlOf(d.endpointId)}</Link>
                      </td>
                      <td className="num">{d.attempts}</td>
                      <td>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : d.lastError || '—'}</td>
                      <td>{when(d.deadLetteredAt)}</td>
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Resend ${d.eventType} to ${urlOf(d.endpointId)}, given up ${when(d.deadLetteredAt)}`}
                          disabled={resend.busy}
                          onClick={() => resend.run(d)}
                        >
                          Resend
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
        <LoadMore paged={deadLetters} label="More dead letters" />
      </Card>
    </>
  );
}
