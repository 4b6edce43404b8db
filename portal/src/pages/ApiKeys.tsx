import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, get } from '../api';
import type { Role } from '../roles';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, Field, FormError, PageHeader, useAction, useLoad, when, day } from '../ui';

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

/** Every role, in the order the portal lists them (API key scopes and team roles alike). */
export const ROLES: Role[] = ['owner', 'admin', 'billing', 'analyst', 'support', 'viewer'];

/**
 * A secret the API answers only once (API key, signing secret, invitation token): shown with a
 * copy button and a plain warning that it cannot be shown again.
 */
export function SecretOnce({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="stack">
      <output aria-label={label} className="secret">
        {value}
      </output>
      <div className="row">
        <button type="button" className="secondary" onClick={copy}>
          Copy
        </button>
        <span role="status" className="caption">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused; select the text and copy it.' : ''}
        </span>
      </div>
      <p className="notice">This is the only time the secret is shown.{children ? <> {children}</> : null}</p>
    </div>
  );
}

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
    await api('DELETE', '/v1/api-keys/' + key.id);
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

/** A group of checkboxes with a legend and the API's message for the group (or a hint) under it. */
export function ChecksField({
  legend,
  name,
  options,
  error,
  hint,
  checked = [],
  disabled = [],
}: {
  legend: string;
  name: string;
  options: readonly string[];
  error: unknown;
  hint?: string;
  checked?: readonly string[];
  /** Options shown but not offered (a role this session may not grant). */
  disabled?: readonly string[];
}) {
  const id = useId();
  const message = error instanceof ApiError ? error.forField(name) : undefined;
  return (
    <fieldset aria-describedby={message || hint ? id : undefined}>
      <legend>{legend}</legend>
      <div className="checks">
        {options.map((option) => (
          <label key={option}>
            <input type="checkbox" name={name} value={option} defaultChecked={checked.includes(option)} disabled={disabled.includes(option)} /> {option}
          </label>
        ))}
      </div>
      {message ? (
        <span className="field-error" id={id}>
          {legend} {message}
        </span>
      ) : hint ? (
        <span className="hint" id={id}>
          {hint}
        </span>
      ) : null}
    </fieldset>
  );
}
