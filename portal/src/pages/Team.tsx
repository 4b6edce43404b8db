import { useState, type FormEvent } from 'react';
import { api, get } from '../api';
import { ROLES } from '../roles';
import { useSession } from '../session';
import { Async, Badge, Card, ChecksField, Empty, Field, FormError, PageHeader, SecretOnce, useAction, useLoad, when } from '../ui';
import './Team.css';

type User = {
  id: string;
  email: string;
  displayName: string | null;
  roles: string[];
  status: 'invited' | 'active' | 'removed';
  mfaEnabled: boolean;
  invitedBy: string | null;
  createdAt: string;
  activatedAt: string | null;
  removedAt: string | null;
  version: number;
};

type Invitation = { user: User; token: string; expiresAt: string; acceptPath: string };

const STATUS_TONE = { active: 'good', invited: 'info', removed: 'neutral' } as const;

export default function Team() {
  const { claims } = useSession();
  const users = useLoad(() => get<User[]>('/v1/users'));
  const [showRemoved, setShowRemoved] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  // Only an owner grants or takes away "owner", so an admin is not offered it (nor owners' rows).
  const isOwner = (claims.groups ?? []).includes('owner');
  const ungrantable = isOwner ? [] : ['owner'];
  const isSelf = (u: User) => claims.kind === 'user' && claims.sub === u.id;

  const invite = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const answer = await api<Invitation>('POST', '/v1/users', {
      email: String(data.get('email') ?? '').trim(),
      displayName: String(data.get('displayName') ?? '').trim() || undefined,
      roles: data.getAll('roles').map(String),
    });
    setInvitation(answer);
    form.reset();
    users.reload();
  });

  const remove = useAction(async (u: User) => {
    if (!window.confirm(`Remove ${u.email} from the team? Their sessions end at once.`)) return;
    await api('DELETE', '/v1/users/' + encodeURIComponent(u.id));
    users.reload();
  });

  const submitInvite = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    invite.run(e.currentTarget);
  };

  return (
    <div className="team-page">
      <PageHeader title="Team" />
      <Card title="Members">
        <label className="check">
          <input type="checkbox" checked={showRemoved} onChange={(e) => setShowRemoved(e.target.checked)} /> Show removed members
        </label>
        <FormError error={remove.error} fields={[]} />
        <Async state={users} label="team members">
          {(all) => {
            const shown = all.filter((u) => showRemoved || u.status !== 'removed');
            return shown.length === 0 ? (
              <Empty>No members yet.</Empty>
            ) : (
              <table>
                <caption className="sr-only">Team members, with their roles and status</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Status</th>
                    <th scope="col">MFA</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((u) => {
                    const manageable = !isSelf(u) && u.status !== 'removed' && (isOwner || !u.roles.includes('owner'));
                    return (
                      <tr key={u.id}>
                        <td>
                          {u.email}
                          {isSelf(u) ? (
                            <>
                              {' '}
                              <Badge tone="info">You</Badge>
                            </>
                          ) : null}
                        </td>
                        <td>{u.displayName || '—'}</td>
                        <td>
                          {editing === u.id ? (
                            <RolesForm user={u} ungrantable={ungrantable} onDone={() => setEditing(null)} onSaved={users.reload} />
                          ) : (
                            u.roles.join(', ')
                          )}
                        </td>
                        <td>
                          <Badge tone={STATUS_TONE[u.status]}>{u.status}</Badge>
                          {u.status === 'removed' ? <span className="caption"> {when(u.removedAt)}</span> : null}
                        </td>
                        <td>{u.mfaEnabled ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>}</td>
                        <td>
                          {manageable && editing !== u.id ? (
                            <div className="row member-actions">
                              <button type="button" className="secondary" aria-label={`Change roles of ${u.email}`} onClick={() => setEditing(u.id)}>
                                Change roles
                              </button>
                              <button type="button" className="danger" aria-label={`Remove ${u.email}`} disabled={remove.busy} onClick={() => remove.run(u)}>
                                Remove
                              </button>
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            );
          }}
        </Async>
      </Card>

      <Card title="Invite a teammate">
        {invitation ? (
          <div className="stack">
            <p>
              {invitation.user.email} is invited. Send them this token; they set a password with it before {when(invitation.expiresAt)}.
            </p>
            <SecretOnce label="Invitation token" value={invitation.token} />
            <div className="row">
              <button type="button" className="secondary" onClick={() => setInvitation(null)}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <form className="stack" onSubmit={submitInvite} noValidate>
            <Field label="Email" name="email" error={invite.error}>
              {(p) => <input {...p} type="email" required maxLength={320} autoComplete="off" />}
            </Field>
            <Field label="Display name" name="displayName" error={invite.error}>
              {(p) => <input {...p} maxLength={200} autoComplete="off" />}
            </Field>
            <ChecksField legend="Roles" name="roles" options={ROLES} error={invite.error} disabled={ungrantable} />
            <FormError error={invite.error} fields={['email', 'displayName', 'roles']} />
            <div className="row">
              <button type="submit" disabled={invite.busy}>
                Invite
              </button>
            </div>
          </form>
        )}
      </Card>
    </div>
  );
}

/** Changes one member's roles in place. */
function RolesForm({ user, ungrantable, onDone, onSaved }: { user: User; ungrantable: string[]; onDone: () => void; onSaved: () => void }) {
  const save = useAction(async (form: FormData) => {
    await api('PATCH', '/v1/users/' + encodeURIComponent(user.id), { roles: form.getAll('roles').map(String) });
    onSaved();
    onDone();
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    save.run(new FormData(e.currentTarget));
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={`Roles of ${user.email}`}>
      <ChecksField legend="Roles" name="roles" options={ROLES} error={save.error} checked={user.roles} disabled={ungrantable} />
      <FormError error={save.error} fields={['roles']} />
      <div className="row">
        <button type="submit" disabled={save.busy}>
          Save roles
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
