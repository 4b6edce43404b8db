import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, download, get } from '../../api';
import { useSession } from '../../session';
import { Async, Card, Empty, Field, FormError, useAction, useLoad } from '../../ui';
import {
  CHARTS,
  DIMENSIONS,
  draftOf,
  EXPORTS,
  freshDraft,
  itemError,
  ResultView,
  specOf,
  type ChartKind,
  type Draft,
  type QueryAnswer,
  type Report,
  type Template,
} from './shared';

type Metric = { metric: string; builtIn: boolean; firstSeen: string | null; lastSeen: string | null };

const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'p95'];
const RANGES = [
  { value: 'fixed', label: 'Between dates' },
  { value: 'PT24H', label: 'Last 24 hours' },
  { value: 'P7D', label: 'Last 7 days' },
  { value: 'P30D', label: 'Last 30 days' },
  { value: 'P84D', label: 'Last 12 weeks' },
  { value: 'P90D', label: 'Last 90 days' },
  { value: 'P12M', label: 'Last 12 months' },
];
const BUCKETS = [
  { value: 'hour', label: 'Hour' },
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
  { value: '', label: 'None (one total)' },
];
// A filter's own fields come back as field, op, value and values.
const QUERY_FIELDS = ['metrics', 'aggregations', 'groupBy', 'filters', 'field', 'op', 'value', 'values', 'from', 'to', 'last', 'bucket', 'timeZone'];

const toggled = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

export default function QueryTab({
  draft,
  setDraft,
  answer,
  setAnswer,
  onOpenReport,
}: {
  draft: Draft | null;
  setDraft: (d: Draft) => void;
  answer: { answer: QueryAnswer; chart: ChartKind } | null;
  setAnswer: (a: { answer: QueryAnswer; chart: ChartKind }) => void;
  onOpenReport: (id: string) => void;
}) {
  const { can } = useSession();
  const metrics = useLoad(() => get<{ items: Metric[] }>('/v1/analytics/metrics'));
  const templates = useLoad(() => get<{ items: Template[] }>('/v1/analytics/templates'));

  useEffect(() => {
    if (draft || !metrics.data) return;
    const withData = metrics.data.items.find((m) => m.lastSeen) ?? metrics.data.items[0];
    setDraft(freshDraft(withData ? [withData.metric] : []));
  }, [draft, metrics.data, setDraft]);

  const run = useAction(async () => {
    if (!draft) return;
    setAnswer({ answer: await api<QueryAnswer>('POST', '/v1/analytics/query', specOf(draft)), chart: draft.chart });
  });
  const exporting = useAction(async (format: string, accept: string) => {
    if (!draft) return;
    await download(`/v1/analytics/query/export?format=${format}&chart=${draft.chart}`, 'query.' + format, accept, specOf(draft));
  });
  const fieldError = run.error ?? exporting.error;
  const messageOf = (name: string) => (fieldError instanceof ApiError ? fieldError.forField(name) : undefined);
  const metricsMessage = messageOf('metrics');
  const aggregationsMessage = messageOf('aggregations');
  const groupByMessage = messageOf('groupBy');
  const ids = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.run();
  };

  return (
    <>
      <Card title="Query">
        <Async state={metrics} label="metrics">
          {(m) =>
            !draft ? null : (
              <form className="stack analytics-form" onSubmit={submit} noValidate>
                {templates.data && templates.data.items.length > 0 ? (
                  <Field label="Start from a template" name="template">
                    {(p) => (
                      <select
                        {...p}
                        value=""
                        onChange={(e) => {
                          const t = templates.data!.items.find((x) => x.template === e.target.value);
                          if (t) setDraft(draftOf(t.query, t.chart, draft));
                        }}
                      >
                        <option value="">Choose a template…</option>
                        {templates.data!.items.map((t) => (
                          <option key={t.template} value={t.template}>
                            {t.name} — {t.description}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                ) : null}

                <fieldset aria-describedby={metricsMessage ? ids + '-metrics' : undefined}>
                  <legend>Metrics</legend>
                  {m.items.length === 0 ? (
                    <Empty>No metrics yet; points sent to the API appear here.</Empty>
                  ) : (
                    <div className="checks">
                      {m.items.map((x) => (
                        <label key={x.metric}>
                          <input type="checkbox" checked={draft.metrics.includes(x.metric)} onChange={(e) => setDraft({ ...draft, metrics: toggled(draft.metrics, x.metric, e.target.checked) })} />
                          <span className="mono">{x.metric}</span>
                          {x.lastSeen ? null : <span className="caption">(no points yet)</span>}
                        </label>
                      ))}
                    </div>
                  )}
                  {metricsMessage ? (
                    <span className="field-error" id={ids + '-metrics'}>
                      Metrics {metricsMessage}
                    </span>
                  ) : null}
                </fieldset>

                <fieldset aria-describedby={aggregationsMessage ? ids + '-aggregations' : undefined}>
                  <legend>Aggregations</legend>
                  <div className="checks">
                    {AGGREGATIONS.map((a) => (
                      <label key={a}>
                        <input type="checkbox" checked={draft.aggregations.includes(a)} onChange={(e) => setDraft({ ...draft, aggregations: toggled(draft.aggregations, a, e.target.checked) })} />
                        {a}
                      </label>
                    ))}
                  </div>
                  {aggregationsMessage ? (
                    <span className="field-error" id={ids + '-aggregations'}>
                      Aggregations {aggregationsMessage}
                    </span>
                  ) : null}
                </fieldset>

                <div className="row">
                  <Field label="Range" name="last" error={fieldError} hint={draft.range === 'fixed' ? undefined : 'A relative range keeps a saved report current.'}>
                    {(p) => (
                      <select {...p} value={draft.range} onChange={(e) => setDraft({ ...draft, range: e.target.value })}>
                        {RANGES.some((r) => r.value === draft.range) ? null : <option value={draft.range}>Last {draft.range}</option>}
                        {RANGES.map((r) => (
                          <option key={r.value} value={r.value}>
                            {r.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  {draft.range === 'fixed' ? (
                    <>
                      <Field label="From" name="from" error={fieldError}>
                        {(p) => <input {...p} type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
                      </Field>
                      <Field label="To" name="to" error={fieldError}>
                        {(p) => <input {...p} type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
                      </Field>
                    </>
                  ) : null}
                </div>

                <div className="row">
                  <Field label="Granularity" name="bucket" error={fieldError}>
                    {(p) => (
                      <select {...p} value={draft.bucket} onChange={(e) => setDraft({ ...draft, bucket: e.target.value })}>
                        {BUCKETS.map((b) => (
                          <option key={b.value} value={b.value}>
                            {b.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label="Time zone" name="timeZone" error={fieldError}>
                    {(p) => <input {...p} value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })} placeholder="UTC" />}
                  </Field>
                  <Field label="Chart" name="chart">
                    {(p) => (
                      <select {...p} value={draft.chart} onChange={(e) => setDraft({ ...draft, chart: e.target.value as ChartKind })}>
                        {CHARTS.map((c) => (
                          <option key={c.value} value={c.value}>
                            {c.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                </div>

                <fieldset aria-describedby={groupByMessage ? ids + '-group-by' : undefined}>
                  <legend>Group by</legend>
                  <div className="row">
                    <div className="checks">
                      {DIMENSIONS.map((g) => (
                        <label key={g}>
                          <input type="checkbox" checked={draft.groupBy.includes(g)} onChange={(e) => setDraft({ ...draft, groupBy: toggled(draft.groupBy, g, e.target.checked) })} />
                          {g}
                        </label>
                      ))}
                    </div>
                    <Field label="Group by tag" name="groupByTag" hint="A tag name, for example currency">
                      {(p) => <input {...p} value={draft.groupByTag} onChange={(e) => setDraft({ ...draft, groupByTag: e.target.value })} />}
                    </Field>
                  </div>
                  {groupByMessage ? (
                    <span className="field-error" id={ids + '-group-by'}>
                      Group by {groupByMessage}
                    </span>
                  ) : null}
                </fieldset>

                <Filters draft={draft} setDraft={setDraft} error={fieldError} />

                <FormError error={run.error} fields={QUERY_FIELDS} />
                <FormError error={exporting.error} fields={QUERY_FIELDS} />
                <div className="row">
                  <button type="submit" disabled={run.busy}>
                    {run.busy ? 'Running…' : 'Run query'}
                  </button>
                  {EXPORTS.map((x) => (
                    <button key={x.format} type="button" className="secondary" disabled={exporting.busy} onClick={() => exporting.run(x.format, x.accept)}>
                      {x.label}
                    </button>
                  ))}
                </div>
              </form>
            )
          }
        </Async>
      </Card>

      <Card title="Result">
        {answer ? <ResultView answer={answer.answer} chart={answer.chart} chartLabel="Query chart" /> : <Empty>Run a query to see its rows and chart.</Empty>}
      </Card>

      {can('analytics.author') && draft ? <SaveReport draft={draft} onOpenReport={onOpenReport} /> : null}
    </>
  );
}

function Filters({ draft, setDraft, error }: { draft: Draft; setDraft: (d: Draft) => void; error: unknown }) {
  const change = (i: number, patch: Partial<Draft['filters'][number]>) => setDraft({ ...draft, filters: draft.filters.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const listMessage = error instanceof ApiError ? error.forField('filters') : undefined;
  const listMessageId = useId();
  return (
    <fieldset aria-describedby={listMessage ? listMessageId : undefined}>
      <legend>Filters</legend>
      <div className="stack">
        {draft.filters.map((f, i) => (
          <div className="row" key={i}>
            <Field label={`Filter ${i + 1} field`} name="field" error={itemError(error, 'filters', i)} hint="region, service, account or tags.<name>">
              {(p) => <input {...p} value={f.field} onChange={(e) => change(i, { field: e.target.value })} list="analytics-filter-fields" />}
            </Field>
            <Field label={`Filter ${i + 1} operator`} name="op" error={itemError(error, 'filters', i)}>
              {(p) => (
                <select {...p} value={f.op} onChange={(e) => change(i, { op: e.target.value as 'equals' | 'in' })}>
                  <option value="equals">equals</option>
                  <option value="in">is one of</option>
                </select>
              )}
            </Field>
            <Field
              label={`Filter ${i + 1} value`}
              name={f.op === 'in' ? 'values' : 'value'}
              error={itemError(error, 'filters', i)}
              hint={f.op === 'in' ? 'Separate values with commas' : undefined}
            >
              {(p) => <input {...p} value={f.value} onChange={(e) => change(i, { value: e.target.value })} />}
            </Field>
            <button type="button" className="secondary" onClick={() => setDraft({ ...draft, filters: draft.filters.filter((_, j) => j !== i) })}>
              Remove filter {i + 1}
            </button>
          </div>
        ))}
        <datalist id="analytics-filter-fields">
          {DIMENSIONS.map((d) => (
            <option key={d} value={d} />
          ))}
          <option value="tags." />
        </datalist>
        {listMessage ? (
          <span className="field-error" id={listMessageId}>
            Filters {listMessage}
          </span>
        ) : null}
        <div>
          <button type="button" className="secondary" onClick={() => setDraft({ ...draft, filters: [...draft.filters, { field: 'region', op: 'equals', value: '' }] })}>
            Add filter
          </button>
        </div>
      </div>
    </fieldset>
  );
}

const FORMATS = [
  { value: 'pdf', label: 'PDF' },
  { value: 'csv', label: 'CSV' },
  { value: 'xlsx', label: 'Excel' },
  { value: 'json', label: 'JSON' },
];

function SaveReport({ draft, onOpenReport }: { draft: Draft; onOpenReport: (id: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [format, setFormat] = useState('pdf');
  const [saved, setSaved] = useState<Report | null>(null);
  const save = useAction(async () => {
    const report = await api<Report>('POST', '/v1/analytics/reports', {
      name,
      description: description.trim() || undefined,
      query: specOf(draft),
      chart: draft.chart,
      format,
    });
    setSaved(report);
    setName('');
    setDescription('');
  });
  return (
    <Card title="Save as report">
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          save.run();
        }}
      >
        <p className="caption">Saves the query above, its range and chart, so it can be opened, shared, exported and scheduled.</p>
        <div className="row">
          <Field label="Report name" name="name" error={save.error}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />}
          </Field>
          <Field label="Delivery format" name="format" error={save.error}>
            {(p) => (
              <select {...p} value={format} onChange={(e) => setFormat(e.target.value)}>
                {FORMATS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label="Description" name="description" error={save.error}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />}
        </Field>
        {saved ? (
          <p className="notice" role="status">
            Saved the report “{saved.name}”.{' '}
            <button type="button" className="secondary" onClick={() => onOpenReport(saved.id)}>
              Open report
            </button>
          </p>
        ) : null}
        <FormError error={save.error} fields={['name', 'description', 'format']} />
        <div className="row">
          <button type="submit" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save as report'}
          </button>
        </div>
      </form>
    </Card>
  );
}
