import { useState } from 'react';
import { api, download, get, query, type Page } from '../../api';
import { useSession } from '../../session';
import { Async, Badge, Card, day, Empty, ErrorNote, Field, FormError, LoadMore, useAction, useLoad, usePaged, when } from '../../ui';
import { EXPORTS, fileName, ResultView, type QueryAnswer, type Report } from './shared';

type User = { id: string; email: string; displayName?: string | null; status: string };

// Owners and admins manage every report already; a share matters for the other reading roles.
const SHARE_ROLES = ['analyst', 'billing', 'viewer'];

export default function ReportsTab({ openId, setOpenId, onEditQuery }: { openId: string | null; setOpenId: (id: string | null) => void; onEditQuery: (r: Report) => void }) {
  const reportList = usePaged((cursor?: string) => get<Page<Report>>('/v1/analytics/reports' + query({ limit: 25, cursor })));
  const remove = useAction(async (r: Report) => {
    if (!window.confirm(`Delete the report “${r.name}”? Its shares, schedules and runs go with it.`)) return;
    await api('DELETE', '/v1/analytics/reports/' + encodeURIComponent(r.id));
    if (openId === r.id) setOpenId(null);
    reportList.reload();
  });

  return (
    <>
      <Card title="Saved reports">
        <ErrorNote error={remove.error} />
        <Async state={reportList} label="reports">
          {() => {
            const reports = reportList.items;
            if (reports.length === 0) return <Empty>No reports yet. Build a query and save it as a report.</Empty>;
            return (
              <>
                <table>
                  <caption className="sr-only">Saved reports</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Chart</th>
                      <th scope="col">Format</th>
                      <th scope="col">Your access</th>
                      <th scope="col">Created</th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {reports.map((r) => (
                      <tr key={r.id} aria-current={r.id === openId ? 'true' : undefined}>
                        <td>
                          <strong>{r.name}</strong>
                          {r.description ? <div className="caption">{r.description}</div> : null}
                        </td>
                        <td>{r.chart}</td>
                        <td>{r.format.toUpperCase()}</td>
                        <td>
                          <Badge tone={r.access === 'manage' ? 'info' : 'neutral'}>{r.access}</Badge>
                        </td>
                        <td>{day(r.createdAt)}</td>
                        <td>
                          <div className="row analytics-actions">
                          <button type="button" className="secondary" aria-label={`Open ${r.name}`} onClick={() => setOpenId(r.id)}>
                            Open
                          </button>
                          {r.access === 'manage' ? (
                            <button type="button" className="danger" aria-label={`Delete ${r.name}`} disabled={remove.busy} onClick={() => remove.run(r)}>
                              Delete
                            </button>
                          ) : null}
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <LoadMore paged={reportList} label="Load more reports" />
              </>
            );
          }}
        </Async>
      </Card>
      {openId ? <ReportDetail key={openId} id={openId} onEditQuery={onEditQuery} /> : null}
    </>
  );
}

function ReportDetail({ id, onEditQuery }: { id: string; onEditQuery: (r: Report) => void }) {
  const path = '/v1/analytics/reports/' + encodeURIComponent(id);
  const report = useLoad(() => get<Report>(path), [id]);
  const result = useLoad(() => get<QueryAnswer>(path + '/result'), [id]);
  const exporting = useAction((format: string, accept: string, name: string) => download(`${path}/export?format=${format}`, fileName(name, format), accept));

  return (
    <Async state={report} label="report">
      {(r) => (
        <Card title={r.name}>
          <div className="stack analytics-detail">
            {r.description ? <p>{r.description}</p> : null}
            <div className="row">
              <button type="button" className="secondary" onClick={result.reload} disabled={result.loading}>
                {result.loading ? 'Running…' : 'Run again'}
              </button>
              <button type="button" className="secondary" onClick={() => onEditQuery(r)}>
                Open in query builder
              </button>
              {EXPORTS.map((x) => (
                <button key={x.format} type="button" className="secondary" disabled={exporting.busy} onClick={() => exporting.run(x.format, x.accept, r.name)}>
                  {x.label}
                </button>
              ))}
            </div>
            <ErrorNote error={exporting.error} />
            <Async state={result} label="report result">
              {(a) => <ResultView answer={a} chart={r.chart} chartLabel="Report chart" />}
            </Async>
            <Sharing report={r} onChange={report.reload} />
          </div>
        </Card>
      )}
    </Async>
  );
}

function Sharing({ report, onChange }: { report: Report; onChange: () => void }) {
  const { can } = useSession();
  const manage = report.access === 'manage';
  const users = useLoad(() => (manage && can('team.manage') ? get<User[]>('/v1/users') : Promise.resolve([] as User[])), [manage]);
  const [principalType, setPrincipalType] = useState<'role' | 'user'>('role');
  const [role, setRole] = useState(SHARE_ROLES[0]);
  const [user, setUser] = useState('');
  const [permission, setPermission] = useState<'view' | 'edit'>('view');
  const share = useAction(async () => {
    await api('PUT', `/v1/analytics/reports/${encodeURIComponent(report.id)}/shares`, { principalType, principal: principalType === 'role' ? role : user.trim(), permission });
    setUser('');
    onChange();
  });
  const unshare = useAction(async (type: string, principal: string) => {
    await api('DELETE', `/v1/analytics/reports/${encodeURIComponent(report.id)}/shares/${type}/${encodeURIComponent(principal)}`);
    onChange();
  });
  const userName = (id: string) => users.data?.find((u) => u.id === id)?.email ?? id;
  const shares = report.shares ?? [];

  return (
    <section aria-label="Sharing">
      <h3>Sharing</h3>
      {shares.length === 0 ? (
        <Empty>Only you, owners and admins can see this report.</Empty>
      ) : (
        <table>
          <caption className="sr-only">Shares of {report.name}</caption>
          <thead>
            <tr>
              <th scope="col">Shared with</th>
              <th scope="col">Permission</th>
              <th scope="col">Since</th>
              {manage ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.principalType + s.principal}>
                <td>
                  {s.principalType === 'role' ? 'Role ' : 'User '}
                  <span className={s.principalType === 'user' ? 'mono' : undefined}>{s.principalType === 'user' ? userName(s.principal) : s.principal}</span>
                </td>
                <td>{s.permission === 'edit' ? 'Can edit' : 'Can view'}</td>
                <td>{when(s.createdAt)}</td>
                {manage ? (
                  <td>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Stop sharing with ${s.principalType} ${s.principalType === 'user' ? userName(s.principal) : s.principal}`}
                      disabled={unshare.busy}
                      onClick={() => unshare.run(s.principalType, s.principal)}
                    >
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={unshare.error} />
      {manage ? (
        <form
          className="row analytics-share"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            share.run();
          }}
        >
          <Field label="Share with" name="principalType" error={share.error}>
            {(p) => (
              <select {...p} value={principalType} onChange={(e) => setPrincipalType(e.target.value as 'role' | 'user')}>
                <option value="role">Everyone with a role</option>
                <option value="user">One user</option>
              </select>
            )}
          </Field>
          {principalType === 'role' ? (
            <Field label="Role" name="principal" error={share.error}>
              {(p) => (
                <select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                  {SHARE_ROLES.map((x) => (
                    <option key={x} value={x}>
                      {x}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label="User ID" name="principal" error={share.error} hint={users.data?.length ? 'Pick a team member or paste a user ID' : 'The user ID of a team member'}>
              {(p) => (
                <>
                  <input {...p} value={user} onChange={(e) => setUser(e.target.value)} list="analytics-share-users" className="mono" />
                  <datalist id="analytics-share-users">
                    {(users.data ?? [])
                      .filter((u) => u.status !== 'removed')
                      .map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.displayName ? `${u.displayName} <${u.email}>` : u.email}
                        </option>
                      ))}
                  </datalist>
                </>
              )}
            </Field>
          )}
          <Field label="Permission" name="permission" error={share.error}>
            {(p) => (
              <select {...p} value={permission} onChange={(e) => setPermission(e.target.value as 'view' | 'edit')}>
                <option value="view">Can view</option>
                <option value="edit">Can edit</option>
              </select>
            )}
          </Field>
          <button type="submit" disabled={share.busy}>
            {share.busy ? 'Sharing…' : 'Share'}
          </button>
          <div className="analytics-wide">
            <FormError error={share.error} fields={['principalType', 'principal', 'permission']} />
          </div>
        </form>
      ) : null}
    </section>
  );
}
