import { useState } from 'react';
import { api, get, query, type Page } from '../api';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, Link, LoadMore, money, PageHeader, useAction, useLoad, usePaged, when } from '../ui';

export type InvoiceStatus = 'draft' | 'finalized' | 'paid' | 'void';

type InvoiceRow = {
  id: string;
  number: string;
  status: InvoiceStatus;
  periodStart: string;
  currency: string;
  total: string;
  createdAt: string;
};

type Usage = {
  period: string;
  currency: string;
  totalSoFar: string;
  projectedTotal: string;
  metrics: { code: string; name: string; unit: string; quantity: string; chargeSoFar: string; projectedCharge: string }[];
};
type Threshold = { id: string; metricCode: string; threshold: string };

const STATUSES: InvoiceStatus[] = ['draft', 'finalized', 'paid', 'void'];
const TONE = { draft: 'neutral', finalized: 'info', paid: 'good', void: 'bad' } as const;

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={TONE[status] ?? 'neutral'}>{status}</Badge>;
}

/** The billing period as YYYY-MM: periods start at midnight UTC on the 1st. */
export const periodOf = (periodStart: string) => periodStart.slice(0, 7);

function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

export default function Invoices() {
  const { can } = useSession();
  const [status, setStatus] = useState('');
  const invoices = usePaged((cursor?: string) => get<Page<InvoiceRow>>('/v1/invoices' + query({ status, cursor })), [status]);

  return (
    <>
      <PageHeader title="Invoices" />
      {can('billing.manage') ? <RunInvoices onRun={invoices.reload} /> : null}
      <Card title="All invoices">
        <div className="row">
          <Field label="Status" name="status">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">Any status</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Async state={invoices} label="invoices">
          {() => {
            const items = invoices.items;
            if (items.length === 0) return <Empty>{status ? `No ${status} invoices.` : 'No invoices yet; one is drafted when a period ends.'}</Empty>;
            return (
              <>
                <table>
                  <caption className="sr-only">Invoices, newest period first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Number</th>
                      <th scope="col">Period</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">Total</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <tr key={i.id}>
                        <td>
                          <Link to={'/invoices/' + i.id}>{i.number}</Link>
                        </td>
                        <td>{periodOf(i.periodStart)}</td>
                        <td>
                          <StatusBadge status={i.status} />
                        </td>
                        <td className="num">{money(i.total, i.currency)}</td>
                        <td>{when(i.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <LoadMore paged={invoices} />
              </>
            );
          }}
        </Async>
      </Card>
      <CurrentPeriod />
    </>
  );
}

/** Drafts the invoice of an ended month now instead of waiting for the scheduled run. */
function RunInvoices({ onRun }: { onRun: () => void }) {
  const [period, setPeriod] = useState(lastMonth);
  const [made, setMade] = useState<InvoiceRow | null>(null);
  const action = useAction(async () => {
    setMade(null);
    setMade(await api<InvoiceRow>('POST', '/v1/invoices/runs', { period }));
    onRun();
  });
  return (
    <Card title="Run invoices">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          action.run();
        }}
      >
        <div className="row">
          <Field label="Period" name="period" error={action.error} hint="An ended month, YYYY-MM">
            {(p) => <input {...p} value={period} onChange={(e) => setPeriod(e.target.value)} placeholder="YYYY-MM" inputMode="numeric" required />}
          </Field>
          <button type="submit" disabled={action.busy}>
            {action.busy ? 'Running…' : 'Run invoices'}
          </button>
        </div>
        <FormError error={action.error} fields={['period']} />
        {made ? (
          <p className="notice" role="status">
            {periodOf(made.periodStart)} is invoiced: <Link to={'/invoices/' + made.id}>{made.number}</Link> ({made.status}, {money(made.total, made.currency)}).
          </p>
        ) : null}
      </form>
    </Card>
  );
}

/** This month's usage so far, with the thresholds that alert when a metric passes them. */
function CurrentPeriod() {
  const { can } = useSession();
  const usage = useLoad(() => get<Usage>('/v1/metrics'));
  const thresholds = useLoad(() => get<Threshold[]>('/v1/metrics/thresholds'));
  const [metricCode, setMetricCode] = useState('');
  const [threshold, setThreshold] = useState('');
  const add = useAction(async () => {
    await api('POST', '/v1/metrics/thresholds', { metricCode, threshold: Number(threshold) });
    setThreshold('');
    thresholds.reload();
  });
  const remove = useAction(async (id: string) => {
    await api('DELETE', '/v1/metrics/thresholds/' + encodeURIComponent(id));
    thresholds.reload();
  });

  return (
    <Card title="Usage this month">
      <Async state={usage} label="usage">
        {(u) => (
          <>
            <p className="caption">
              {u.period}: {money(u.totalSoFar, u.currency)} so far, {money(u.projectedTotal, u.currency)} projected.
            </p>
            <table>
              <caption className="sr-only">Usage by metric in {u.period}</caption>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">Used</th>
                  <th scope="col" className="num">Charge so far</th>
                  <th scope="col" className="num">Projected</th>
                  <th scope="col">Alert thresholds</th>
                </tr>
              </thead>
              <tbody>
                {u.metrics.map((m) => {
                  const mine = (thresholds.data ?? []).filter((t) => t.metricCode === m.code);
                  return (
                    <tr key={m.code}>
                      <td>{m.name}</td>
                      <td className="num">
                        {Number(m.quantity).toLocaleString()} {m.unit}
                      </td>
                      <td className="num">{money(m.chargeSoFar, u.currency)}</td>
                      <td className="num">{money(m.projectedCharge, u.currency)}</td>
                      <td>
                        {mine.length === 0 ? <span className="caption">none</span> : null}
                        {mine.map((t) => (
                          <span key={t.id} className="row">
                            <span>
                              {Number(t.threshold).toLocaleString()} {m.unit}
                            </span>
                            {can('billing.manage') ? (
                              <button
                                type="button"
                                className="secondary"
                                aria-label={`Remove threshold ${t.threshold} for ${m.name}`}
                                disabled={remove.busy}
                                onClick={() => remove.run(t.id)}
                              >
                                Remove
                              </button>
                            ) : null}
                          </span>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <ErrorNote error={thresholds.error ?? remove.error} />
            {can('billing.manage') ? (
              <form
                className="stack"
                onSubmit={(e) => {
                  e.preventDefault();
                  add.run();
                }}
              >
                <h3>Add a usage threshold</h3>
                <div className="row">
                  <Field label="Metric" name="metricCode" error={add.error}>
                    {(p) => (
                      <select {...p} value={metricCode} onChange={(e) => setMetricCode(e.target.value)} required>
                        <option value="">Choose a metric</option>
                        {u.metrics.map((m) => (
                          <option key={m.code} value={m.code}>
                            {m.name}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label="Threshold" name="threshold" error={add.error}>
                    {(p) => <input {...p} type="number" min="0" step="any" value={threshold} onChange={(e) => setThreshold(e.target.value)} required />}
                  </Field>
                  <button type="submit" disabled={add.busy}>
                    Add threshold
                  </button>
                </div>
                <FormError error={add.error} fields={['metricCode', 'threshold']} />
              </form>
            ) : null}
          </>
        )}
      </Async>
    </Card>
  );
}
