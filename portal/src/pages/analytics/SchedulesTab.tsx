import { useId, useState } from 'react';
import { api, ApiError, get, query, type Page } from '../../api';
import { useSession } from '../../session';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, useAction, useLoad, usePoll, when } from '../../ui';
import { browserTimeZone, itemError, type Report } from './shared';

type RecipientView = { type: 'email' | 'slack' | 'webhook'; address?: string | null; urlSet?: boolean | null };
type Schedule = {
  id: string;
  reportId: string;
  cron: string;
  timeZone: string;
  recipients: RecipientView[];
  enabled: boolean;
  nextRunAt: string | null;
  createdAt: string;
};
type Delivery = { channel: string; recipient: string | null; status: string; error: { code: string; message: string } | null };
type Run = {
  id: string;
  trigger: string;
  scheduledFor: string | null;
  status: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  rowCount: number | null;
  outputSizeBytes: number | null;
  deliveries: Delivery[];
  error: { code: string; message: string } | null;
  createdAt: string;
};

const CADENCES = [
  { cron: '0 8 * * *', label: 'Every day at 08:00' },
  { cron: '0 8 * * 1', label: 'Every Monday at 08:00' },
  { cron: '0 8 1 * *', label: 'On the 1st of each month at 08:00' },
];
const cadenceOf = (cron: string) => CADENCES.find((c) => c.cron === cron.trim().replace(/\s+/g, ' '));

const RUN_TONE: Record<string, 'good' | 'bad' | 'warn' | 'info'> = { delivered: 'good', failed: 'bad', retrying: 'warn', queued: 'info', running: 'info' };
const PENDING = ['queued', 'running', 'retrying'];

function recipientText(r: RecipientView): string {
  if (r.type === 'email') return r.address ?? 'email';
  if (r.type === 'slack') return 'Slack channel';
  return 'Webhook endpoints';
}

const size = (bytes: number | null) => (bytes === null ? '—' : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

export default function SchedulesTab() {
  const { can, claims } = useSession();
  const author = can('analytics.author');
  const schedules = useLoad(() => get<{ items: Schedule[] }>('/v1/analytics/schedules'));
  const reports = useLoad(() => get<Page<Report>>('/v1/analytics/reports' + query({ limit: 100 })));
  const [runsOf, setRunsOf] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const reportName = (id: string) => reports.data?.items.find((r) => r.id === id)?.name ?? 'Report ' + id.slice(0, 8);

  const runNow = useAction(async (s: Schedule) => {
    await api('POST', `/v1/analytics/schedules/${encodeURIComponent(s.id)}/run`);
    setRunsOf(s.id);
    setRound((n) => n + 1);
  });
  const remove = useAction(async (s: Schedule) => {
    if (!window.confirm(`Delete the schedule of “${reportName(s.reportId)}”? Its run history stays with the report.`)) return;
    await api('DELETE', '/v1/analytics/schedules/' + encodeURIComponent(s.id));
    if (runsOf === s.id) setRunsOf(null);
    schedules.reload();
  });
  const opened = schedules.data?.items.find((s) => s.id === runsOf);

  return (
    <>
      {claims.features?.reportScheduling === false ? (
        <p className="notice">Your tier ({claims.tier}) does not include report scheduling: the platform refuses to create or run schedules.</p>
      ) : null}
      <Card title="Schedules">
        <ErrorNote error={runNow.error} />
        <ErrorNote error={remove.error} />
        <Async state={schedules} label="schedules">
          {(list) =>
            list.items.length === 0 ? (
              <Empty>No schedules yet.{author ? ' Schedule a saved report below to have it delivered.' : ''}</Empty>
            ) : (
              <table>
                <caption className="sr-only">Report schedules</caption>
                <thead>
                  <tr>
                    <th scope="col">Report</th>
                    <th scope="col">When</th>
                    <th scope="col">Recipients</th>
                    <th scope="col">Next run</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((s) => (
                    <tr key={s.id}>
                      <td>{reportName(s.reportId)}</td>
                      <td>
                        {cadenceOf(s.cron)?.label ?? <span className="mono">{s.cron}</span>}
                        <div className="caption">{s.timeZone}</div>
                      </td>
                      <td>{s.recipients.map(recipientText).join(', ')}</td>
                      <td>{s.enabled ? when(s.nextRunAt) : <Badge>Paused</Badge>}</td>
                      <td>
                        <div className="row analytics-actions">
                          <button
                            type="button"
                            className="secondary"
                            aria-pressed={runsOf === s.id}
                            aria-label={`Runs of ${reportName(s.reportId)}`}
                            onClick={() => setRunsOf(runsOf === s.id ? null : s.id)}
                          >
                            Runs
                          </button>
                          {author ? (
                            <>
                              <button type="button" className="secondary" aria-label={`Run ${reportName(s.reportId)} now`} disabled={runNow.busy} onClick={() => runNow.run(s)}>
                                Run now
                              </button>
                              <button type="button" className="danger" aria-label={`Delete the schedule of ${reportName(s.reportId)}`} disabled={remove.busy} onClick={() => remove.run(s)}>
                                Delete
                              </button>
                            </>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
      </Card>
      {opened ? <Runs key={opened.id} schedule={opened} title={`Last runs of ${reportName(opened.reportId)}`} round={round} /> : null}
      {author ? (
        <Async state={reports} label="reports">
          {(page) => (
            <NewSchedule
              reports={page.items}
              onCreated={schedules.reload}
            />
          )}
        </Async>
      ) : null}
    </>
  );
}

function Runs({ schedule, title, round }: { schedule: Schedule; title: string; round: number }) {
  const runs = useLoad(() => get<{ items: Run[] }>(`/v1/analytics/schedules/${encodeURIComponent(schedule.id)}/runs?limit=10`), [schedule.id, round]);
  const pending = runs.data?.items.some((r) => PENDING.includes(r.status)) ?? false;
  // A queued run finishes within seconds; look again until none is pending.
  usePoll(runs.reload, 2000, pending);

  return (
    <Card title={title}>
      <Async state={runs} label="runs">
        {(list) =>
          list.items.length === 0 ? (
            <Empty>This schedule has not run yet.</Empty>
          ) : (
            <table>
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Deliveries</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((r) => (
                  <tr key={r.id}>
                    <td>{when(r.scheduledFor ?? r.createdAt)}</td>
                    <td>{r.trigger}</td>
                    <td>
                      <Badge tone={RUN_TONE[r.status] ?? 'neutral'}>{r.status}</Badge>
                      {r.attempts > 1 ? <div className="caption">{r.attempts} attempts</div> : null}
                      {r.error ? <div className="caption">{r.error.message}</div> : null}
                    </td>
                    <td className="num">{r.rowCount?.toLocaleString() ?? '—'}</td>
                    <td className="num">{size(r.outputSizeBytes)}</td>
                    <td>
                      {r.deliveries.length === 0 ? (
                        '—'
                      ) : (
                        <ul className="rows">
                          {r.deliveries.map((d, i) => (
                            <li key={i}>
                              {d.recipient ?? d.channel}: {d.status}
                              {d.error ? <span className="caption">{d.error.message}</span> : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
    </Card>
  );
}

type RecipientDraft = { type: 'email' | 'slack' | 'webhook'; value: string };

function NewSchedule({ reports, onCreated }: { reports: Report[]; onCreated: () => void }) {
  const [reportId, setReportId] = useState(reports[0]?.id ?? '');
  const [cron, setCron] = useState(CADENCES[1].cron);
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [recipients, setRecipients] = useState<RecipientDraft[]>([{ type: 'email', value: '' }]);
  const [enabled, setEnabled] = useState(true);
  const create = useAction(async () => {
    await api('POST', '/v1/analytics/schedules', {
      reportId: reportId || undefined,
      cron,
      timeZone,
      enabled,
      recipients: recipients.map((r) => (r.type === 'email' ? { type: 'email', address: r.value.trim() } : r.type === 'slack' ? { type: 'slack', url: r.value.trim() } : { type: 'webhook' })),
    });
    setRecipients([{ type: 'email', value: '' }]);
    onCreated();
  });
  const change = (i: number, patch: Partial<RecipientDraft>) => setRecipients(recipients.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const report = reports.find((r) => r.id === reportId);
  const listMessage = create.error instanceof ApiError ? create.error.forField('recipients') : undefined;
  const listMessageId = useId();

  return (
    <Card title="New schedule">
      {reports.length === 0 ? (
        <Empty>Save a report first; a schedule delivers a saved report.</Empty>
      ) : (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            create.run();
          }}
        >
          <Field label="Report" name="reportId" error={create.error} hint={report ? `Delivered as ${report.format.toUpperCase()}, the report's delivery format.` : undefined}>
            {(p) => (
              <select {...p} value={reportId} onChange={(e) => setReportId(e.target.value)}>
                {reports.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="row">
            <Field label="Cadence" name="cadence">
              {(p) => (
                <select {...p} value={cadenceOf(cron)?.cron ?? ''} onChange={(e) => e.target.value && setCron(e.target.value)}>
                  {CADENCES.map((c) => (
                    <option key={c.cron} value={c.cron}>
                      {c.label}
                    </option>
                  ))}
                  <option value="">Custom (cron expression)</option>
                </select>
              )}
            </Field>
            <Field label="Cron expression" name="cron" error={create.error} hint="minute hour day-of-month month day-of-week">
              {(p) => <input {...p} value={cron} onChange={(e) => setCron(e.target.value)} className="mono" />}
            </Field>
            <Field label="Time zone" name="timeZone" error={create.error}>
              {(p) => <input {...p} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
            </Field>
          </div>
          <fieldset aria-describedby={listMessage ? listMessageId : undefined}>
            <legend>Recipients</legend>
            <div className="stack">
              {recipients.map((r, i) => (
                <div className="row" key={i}>
                  <Field label={`Recipient ${i + 1} type`} name="type" error={itemError(create.error, 'recipients', i)}>
                    {(p) => (
                      <select {...p} value={r.type} onChange={(e) => change(i, { type: e.target.value as RecipientDraft['type'], value: '' })}>
                        <option value="email">Email</option>
                        <option value="slack">Slack</option>
                        <option value="webhook">Webhook event</option>
                      </select>
                    )}
                  </Field>
                  {r.type === 'email' ? (
                    <Field label={`Recipient ${i + 1} email`} name="address" error={itemError(create.error, 'recipients', i)}>
                      {(p) => <input {...p} type="email" value={r.value} onChange={(e) => change(i, { value: e.target.value })} />}
                    </Field>
                  ) : r.type === 'slack' ? (
                    <Field label={`Recipient ${i + 1} Slack webhook URL`} name="url" error={itemError(create.error, 'recipients', i)} hint="https://hooks.slack.com/services/…">
                      {(p) => <input {...p} type="url" value={r.value} onChange={(e) => change(i, { value: e.target.value })} />}
                    </Field>
                  ) : (
                    <p className="caption">Sent as a report.delivered event to your webhook endpoints.</p>
                  )}
                  {recipients.length > 1 ? (
                    <button type="button" className="secondary" onClick={() => setRecipients(recipients.filter((_, j) => j !== i))}>
                      Remove recipient {i + 1}
                    </button>
                  ) : null}
                </div>
              ))}
              {listMessage ? (
                <span className="field-error" id={listMessageId}>
                  Recipients {listMessage}
                </span>
              ) : null}
              <div>
                <button type="button" className="secondary" disabled={recipients.length >= 20} onClick={() => setRecipients([...recipients, { type: 'email', value: '' }])}>
                  Add recipient
                </button>
              </div>
            </div>
          </fieldset>
          <div className="checks">
            <label>
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
              Enabled
            </label>
          </div>
          <FormError error={create.error} fields={['reportId', 'cron', 'timeZone', 'recipients', 'type', 'address', 'url', 'enabled']} />
          <div className="row">
            <button type="submit" disabled={create.busy}>
              {create.busy ? 'Scheduling…' : 'Create schedule'}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
