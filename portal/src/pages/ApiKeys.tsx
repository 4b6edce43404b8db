import { useState, type FormEvent } from 'react';
import { api, get } from '../api';
import { ROLES } from '../roles';
import { useSession } from '../session';
import { Async, Badge, Card, ChecksField, Empty, Field, FormError, PageHeader, SecretOnce, useAction, useLoad, when, day } from '../ui';

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: string;
  createdAt: string;
};

const checkedValues = (form: FormData, name: string) => form.getAll(name).map(String);

/** A date field's day, as the end of that day in the browser's time zone. */
const endOfDay = (date: string) => new Date(date + 'T23:59:59').toISOString();

export default function ApiKeys() {
  const { claims } = useSession();
  const keys = useLoad(() => get<ApiKey[]>('/v1/api-keys'));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);

  const create = useAction(async (form: FormData) => {
    const expires = String(form.get('expiresAt') ?? '');
    const answer = await api<{ key: ApiKey; secret: string }>('POST', '/v1/api-keys', {
      name: String(form.get('name') ?? '').trim(),
      scopes: checkedValues(form, 'scopes'),
      expiresAt: expires ? endOfDay(expires) : undefined,
    });
    setCreated(answer);
    setCreating(false);
    keys.reload();
  });

  const revoke = useAction(async (key: ApiKey) => {
    const own = key.id === claims.sub;
    const question = own
      ? `Revoke "${key.name}"? This session signed in with it and ends at once.`
      : `Revoke "${key.name}"? Anything using it is refused from now on.`;
    if (!window.confirm(question)) return;
    await api('DELETE', '/v1/api-keys/' + encodeURIComponent(key.id));
    keys.reload();
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    create.run(new FormData(e.currentTarget));
  };

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  return (
    <>
      <PageHeader title="API keys">
        {!creating ? (
          <button
            type="button"
            onClick={() => {
              setCreating(true);
              setCreated(null);
              create.setError(null);
            }}
          >
            Create API key
          </button>
        ) : null}
      </PageHeader>

      {created ? (
        <Card title={`API key "${created.key.name}" created`}>
          <SecretOnce label="New API key secret" value={created.secret}>
            Store it in your secret manager now; only its last four characters are kept visible.
          </SecretOnce>
          <div className="row">
            <button type="button" className="secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </Card>
      ) : null}

      {creating ? (
        <Card title="Create API key">
          <form className="stack" onSubmit={submit} noValidate>
            <Field label="Name" name="name" error={create.error}>
              {(p) => <input {...p} required maxLength={200} autoFocus />}
            </Field>
            <ChecksField legend="Scopes" name="scopes" options={ROLES} error={create.error} hint="The key acts with the permissions of these roles." />
            <Field label="Expires" name="expiresAt" error={create.error} hint="Optional; the key stops working at the end of that day.">
              {(p) => <input {...p} type="date" min={tomorrow} />}
            </Field>
            <FormError error={create.error} fields={['name', 'scopes', 'expiresAt']} />
            <div className="row">
              <button type="submit" disabled={create.busy}>
                {create.busy ? 'Creating…' : 'Create key'}
              </button>
              <button type="button" className="secondary" onClick={() => setCreating(false)}>
                Cancel
              </button>
            </div>
          </form>
        </Card>
      ) : null}

      <Card title="Keys">
        <FormError error={revoke.error} fields={[]} />
        <Async state={keys} label="API keys">
          {(list) =>
            list.length === 0 ? (
              <Empty>No API keys yet. Create one for a server or a script that calls the API.</Empty>
            ) : (
              <table>
                <caption className="sr-only">API keys, with their scopes and status</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => {
                    const expired = !!k.expiresAt && new Date(k.expiresAt) <= new Date();
                    return (
                      <tr key={k.id}>
                        <td>
                          {k.name}
                          {k.id === claims.sub ? (
                            <>
                              {' '}
                              <Badge tone="info">this session</Badge>
                            </>
                          ) : null}
                        </td>
                        <td className="mono">
                          {k.prefix}…{k.last4}
                        </td>
                        <td>{k.scopes.join(', ')}</td>
                        <td>{day(k.createdAt)}</td>
                        <td>{k.lastUsedAt ? when(k.lastUsedAt) : 'Never'}</td>
                        <td>{k.expiresAt ? day(k.expiresAt) : 'Never'}</td>
                        <td>
                          {k.revokedAt ? (
                            <Badge tone="bad">Revoked</Badge>
                          ) : expired ? (
                            <Badge tone="warn">Expired</Badge>
                          ) : (
                            <div className="row">
                              <Badge tone="good">Active</Badge>
                              <button type="button" className="danger" aria-label={`Revoke ${k.name}`} disabled={revoke.busy} onClick={() => revoke.run(k)}>
                                Revoke
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </Async>
      </Card>
    </>
  );
}

