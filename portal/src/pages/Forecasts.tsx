import { useState } from 'react';
import { api, ApiError, download, get, query, upload, type Page } from '../api';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, ErrorNote, Field, FormError, money, PageHeader, useAction, useLoad, when } from '../ui';
import './Forecasts.css';
import ForecastChart, { periodLabel, type Actual, type AnomalyPoint, type ForecastPeriod } from './ForecastChart';

type ForecastSummary = { id: string; createdAt: string; createdBy: string; granularity: string; horizonMonths: number; currency: string };
type ForecastLine = {
  service: string | null;
  model: string;
  backtest: { mape: number | null; mase: number | null };
  trend: { label: string } | null;
  lastActual: string;
  periods: ForecastPeriod[];
};
type ForecastView = ForecastSummary & {
  historyStart: string;
  historyEnd: string;
  historyPeriods: number;
  history: Actual[];
  levels: number[];
  total: ForecastLine;
  services: ForecastLine[];
};
type Anomaly = AnomalyPoint & { id: string; actualCost: string; expectedCost: string };
type ImportResult = { records: number; inserted: number; replaced: number; unchanged: number; services: string[] };
type RowError = { row: number; field: string; detail: string };
type Budget = {
  id: string;
  name: string;
  service: string | null;
  currency: string;
  amount: string;
  thresholds: number[];
  current?: { actualSpend: string; forecastSpend: string; actualPercent: number; forecastPercent: number } | null;
};
type Finding = { kind: string; service: string | null; title: string; explanation: string };

const HORIZONS = [3, 6, 12, 24];
const FORMATS = [
  { format: 'csv', label: 'Export CSV', type: 'text/csv' },
  { format: 'json', label: 'Export JSON', type: 'application/json' },
  { format: 'pdf', label: 'Export PDF', type: 'application/pdf' },
];

export default function Forecasts() {
  const { can } = useSession();
  const forecasts = useLoad(() => get<Page<ForecastSummary>>('/v1/forecasts' + query({ limit: 25 })));
  const [chosen, setChosen] = useState<string | null>(null);
  const shown = chosen ?? forecasts.data?.items[0]?.id ?? null;

  return (
    <>
      <PageHeader title="Forecasts" />
      {shown ? <ShownForecast key={shown} id={shown} /> : null}
      <div className="grid">
        {can('forecasts.create') ? (
          <RunForecast
            onCreated={(id) => {
              setChosen(id);
              forecasts.reload();
            }}
          />
        ) : null}
        {can('costs.upload') ? <UploadCosts /> : null}
      </div>
      <Card title="Past forecasts">
        <Async state={forecasts} label="forecasts">
          {(page) =>
            page.items.length === 0 ? (
              <Empty>No forecasts yet. {can('forecasts.create') ? 'Run one above once there is cost history.' : ''}</Empty>
            ) : (
              <table>
                <caption className="sr-only">Forecasts, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Created</th>
                    <th scope="col">Granularity</th>
                    <th scope="col">Horizon</th>
                    <th scope="col">Currency</th>
                    <th scope="col">
                      <span className="sr-only">Show</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((f) => (
                    <tr key={f.id}>
                      <td>{when(f.createdAt)}</td>
                      <td>{f.granularity}</td>
                      <td>{f.horizonMonths} months</td>
                      <td>{f.currency}</td>
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          aria-pressed={f.id === shown}
                          aria-label={`Show forecast of ${when(f.createdAt)}`}
                          onClick={() => setChosen(f.id)}
                        >
                          Show
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
      </Card>
      <div className="grid">
        <Budgets />
        <Recommendations />
      </div>
    </>
  );
}

function ShownForecast({ id }: { id: string }) {
  const loaded = useLoad(async () => {
    const forecast = await get<ForecastView>('/v1/forecasts/' + encodeURIComponent(id));
    const anomalies = await get<Page<Anomaly>>(
      '/v1/anomalies' + query({ service: 'total', granularity: forecast.granularity, from: forecast.historyStart, limit: 100 }),
    );
    return { forecast, anomalies: anomalies.items };
  }, [id]);
  const exporting = useAction(download);

  return (
    <Card title="Forecast">
      <Async state={loaded} label="forecast">
        {({ forecast: f, anomalies }) => (
          <div className="forecast-body">
            <p className="caption">
              {when(f.createdAt)} · {f.granularity === 'month' ? 'monthly' : 'daily'} · {f.horizonMonths} months ahead · model {f.total.model.replace(/_/g, ' ')}
              {f.total.trend ? ` · trend ${f.total.trend.label}` : ''}
              {f.total.backtest.mape !== null ? ` · backtest error ${f.total.backtest.mape.toFixed(1)} %` : ''}
            </p>
            <ForecastChart granularity={f.granularity} currency={f.currency} history={f.history} periods={f.total.periods} levels={f.levels} anomalies={anomalies} />
            <div className="row">
              {FORMATS.map((x) => (
                <button
                  key={x.format}
                  type="button"
                  className="secondary"
                  disabled={exporting.busy}
                  onClick={() => exporting.run(`/v1/forecasts/${encodeURIComponent(f.id)}/export?format=${x.format}`, `forecast-${f.id}.${x.format}`, x.type)}
                >
                  {x.label}
                </button>
              ))}
            </div>
            <ErrorNote error={exporting.error} />
            {f.services.length > 0 ? <ServiceTable forecast={f} /> : null}
          </div>
        )}
      </Async>
    </Card>
  );
}

function ServiceTable({ forecast: f }: { forecast: ForecastView }) {
  const lastPeriod = f.total.periods.at(-1)?.periodStart ?? '';
  return (
    <>
      <h3>By service</h3>
      <div className="table-scroll">
        <table>
          <caption className="sr-only">Forecast by service</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Model</th>
              <th scope="col">Trend</th>
              <th scope="col" className="num">Last actual</th>
              <th scope="col" className="num">Next period</th>
              <th scope="col" className="num">{periodLabel(lastPeriod, f.granularity)}</th>
            </tr>
          </thead>
          <tbody>
            {f.services.map((s) => (
              // A line without a service is the total's.
              <tr key={s.service ?? 'total'}>
                <td>{s.service ?? 'Total'}</td>
                <td>{s.model.replace(/_/g, ' ')}</td>
                <td>{s.trend?.label ?? '—'}</td>
                <td className="num">{money(s.lastActual, f.currency)}</td>
                <td className="num">{money(s.periods[0]?.mean, f.currency)}</td>
                <td className="num">{money(s.periods.at(-1)?.mean, f.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RunForecast({ onCreated }: { onCreated: (id: string) => void }) {
  const { claims } = useSession();
  const limit = claims.features?.forecastHorizonMonths;
  const horizons = typeof limit === 'number' ? HORIZONS.filter((h) => h <= limit) : HORIZONS;
  // The API takes only these horizons: a tier whose limit is below the shortest cannot forecast.
  const none = horizons.length === 0;
  const [horizon, setHorizon] = useState(String(horizons.includes(6) ? 6 : (horizons[0] ?? '')));
  const [granularity, setGranularity] = useState('month');
  const [currency, setCurrency] = useState('');
  const action = useAction(async () => {
    const created = await api<ForecastView>('POST', '/v1/forecasts', { horizon: Number(horizon), granularity, currency: currency || undefined });
    onCreated(created.id);
  });

  return (
    <Card title="Run a forecast">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          action.run();
        }}
      >
        {none ? (
          <p className="notice">
            Your tier ({claims.tier}) forecasts at most {String(limit)} months ahead, less than the shortest horizon of {HORIZONS[0]} months, so it cannot run forecasts.
          </p>
        ) : null}
        <div className="row">
          <Field label="Horizon" name="horizon" error={action.error}>
            {(p) => (
              <select {...p} value={horizon} onChange={(e) => setHorizon(e.target.value)} disabled={none}>
                {horizons.map((h) => (
                  <option key={h} value={h}>
                    {h} months
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Granularity" name="granularity" error={action.error}>
            {(p) => (
              <select {...p} value={granularity} onChange={(e) => setGranularity(e.target.value)} disabled={none}>
                <option value="month">month</option>
                <option value="day">day</option>
              </select>
            )}
          </Field>
          <Field label="Currency (optional)" name="currency" error={action.error}>
            {(p) => <input {...p} value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} placeholder="USD" maxLength={3} size={5} disabled={none} />}
          </Field>
        </div>
        <p className="hint">Monthly forecasts need at least 12 months of cost history. Currency is needed only when the history has several.</p>
        <FormError error={action.error} fields={['horizon', 'granularity', 'currency']} />
        <div className="row">
          <button type="submit" disabled={action.busy || none}>
            {action.busy ? 'Forecasting…' : 'Run forecast'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function UploadCosts() {
  const [file, setFile] = useState<File | null>(null);
  const [granularity, setGranularity] = useState('day');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [badRows, setBadRows] = useState<RowError[]>([]);
  const action = useAction(async () => {
    setResult(null);
    setBadRows([]);
    if (!file) throw new Error('Choose a CSV file first.');
    try {
      setResult(await upload<ImportResult>('POST', '/v1/forecasts/costs' + query({ granularity }), await file.text(), 'text/csv'));
    } catch (e) {
      // A refused import lists its bad rows as {row, field, detail}, not as field errors of this form.
      if (e instanceof ApiError && e.fieldErrors.some((f) => 'row' in f)) {
        setBadRows(e.fieldErrors as unknown as RowError[]);
        throw new ApiError(e.status, e.title, e.detail);
      }
      throw e;
    }
  });

  return (
    <Card title="Upload cost history">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          action.run();
        }}
      >
        <Field label="Cost CSV" name="file" hint="Columns date, service, amount, currency; a cost-explorer export works as it is.">
          {(p) => <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />}
        </Field>
        <Field label="Rows are costs per" name="granularity" error={action.error}>
          {(p) => (
            <select {...p} value={granularity} onChange={(e) => setGranularity(e.target.value)}>
              <option value="day">day</option>
              <option value="month">month (dated the 1st)</option>
            </select>
          )}
        </Field>
        <FormError error={action.error} fields={['granularity']} />
        {badRows.length > 0 ? (
          <ul className="caption">
            {badRows.slice(0, 10).map((r) => (
              <li key={`${r.row}-${r.field}`}>
                Row {r.row}: {r.field} {r.detail}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="row">
          <button type="submit" disabled={action.busy}>
            {action.busy ? 'Uploading…' : 'Upload'}
          </button>
        </div>
        {result ? (
          <p className="notice" role="status">
            {result.records} costs read: {result.inserted} new, {result.replaced} replaced, {result.unchanged} unchanged
            {result.services.length ? ` (${result.services.join(', ')})` : ''}.
          </p>
        ) : null}
      </form>
    </Card>
  );
}

function Budgets() {
  const { can } = useSession();
  // The list leaves out this month's status; each budget's own read has it.
  const budgets = useLoad(async () => {
    const list = await get<{ items: Budget[] }>('/v1/budgets');
    return Promise.all(list.items.map((b) => get<Budget>('/v1/budgets/' + encodeURIComponent(b.id))));
  });
  const remove = useAction(async (b: Budget) => {
    if (!window.confirm(`Delete the budget ${b.name}?`)) return;
    await api('DELETE', '/v1/budgets/' + encodeURIComponent(b.id));
    budgets.reload();
  });

  return (
    <Card title="Budgets">
      <Async state={budgets} label="budgets">
        {(items) =>
          items.length === 0 ? (
            <Empty>No budgets yet.</Empty>
          ) : (
            <ul className="rows">
              {items.map((b) => {
                const actual = b.current?.actualPercent ?? 0;
                const forecast = b.current?.forecastPercent ?? 0;
                return (
                  <li key={b.id} className="budget">
                    <strong>{b.name}</strong>
                    <span className="caption">
                      {b.service ?? 'All services'} · {money(b.amount, b.currency)} a month · alerts at {b.thresholds.join(', ')} %
                    </span>
                    <meter min={0} max={100} value={Math.min(100, actual)} aria-label={`${b.name} spent`} />
                    <span>
                      {Math.round(actual)} % spent ({money(b.current?.actualSpend, b.currency)}),{' '}
                      <Badge tone={forecast >= 100 ? 'bad' : forecast >= 80 ? 'warn' : 'good'}>{Math.round(forecast)} % forecast</Badge>
                    </span>
                    {can('budgets.manage') ? (
                      <button type="button" className="danger" aria-label={`Delete budget ${b.name}`} disabled={remove.busy} onClick={() => remove.run(b)}>
                        Delete
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Async>
      <ErrorNote error={remove.error} />
      {can('budgets.manage') ? <CreateBudget onCreated={budgets.reload} /> : null}
    </Card>
  );
}

function CreateBudget({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [service, setService] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [thresholds, setThresholds] = useState('80, 100');
  const action = useAction(async () => {
    const levels = thresholds
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map(Number);
    await api('POST', '/v1/budgets', {
      name,
      service: service.trim() || undefined,
      amount: amount === '' ? undefined : Number(amount),
      currency,
      thresholds: levels.length ? levels : undefined,
    });
    setName('');
    setService('');
    setAmount('');
    onCreated();
  });

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        action.run();
      }}
    >
      <h3>New budget</h3>
      <Field label="Name" name="name" error={action.error}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Service (optional)" name="service" error={action.error} hint="A service code such as EC2; empty for the whole bill.">
        {(p) => <input {...p} value={service} onChange={(e) => setService(e.target.value)} />}
      </Field>
      <div className="row">
        <Field label="Amount" name="amount" error={action.error}>
          {(p) => <input {...p} type="number" min="0.01" step="0.01" value={amount} onChange={(e) => setAmount(e.target.value)} required />}
        </Field>
        <Field label="Currency" name="currency" error={action.error}>
          {(p) => <input {...p} value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} size={5} required />}
        </Field>
      </div>
      <Field label="Thresholds" name="thresholds" error={action.error} hint="Percent of the amount, comma separated, e.g. 80, 100.">
        {(p) => <input {...p} value={thresholds} onChange={(e) => setThresholds(e.target.value)} />}
      </Field>
      <FormError error={action.error} fields={['name', 'service', 'amount', 'currency', 'thresholds']} />
      <div className="row">
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Creating…' : 'Create budget'}
        </button>
      </div>
    </form>
  );
}

function Recommendations() {
  const findings = useLoad(() => get<{ items: Finding[] }>('/v1/forecasts/recommendations'));
  return (
    <Card title="Recommendations">
      <Async state={findings} label="recommendations">
        {(r) =>
          r.items.length === 0 ? (
            <Empty>Nothing stands out in the cost history.</Empty>
          ) : (
            <ul className="rows">
              {r.items.map((f, i) => (
                <li key={`${f.kind}-${f.service ?? ''}-${i}`}>
                  <strong>{f.title}</strong>
                  <span className="caption">{f.explanation}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </Card>
  );
}
