// What the Analytics tabs share: the API's shapes, the query draft the builder edits, a query answer
// shown as a chart and a table, and which row of a list a field error belongs to.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ApiError } from '../../api';
import { Empty } from '../../ui';

export type FilterSpec = { field: string; op: 'equals' | 'in'; value?: string; values?: string[] };
export type QuerySpec = {
  metrics: string[];
  aggregations?: string[] | null;
  groupBy?: string[] | null;
  filters?: FilterSpec[] | null;
  from?: string | null;
  to?: string | null;
  last?: string | null;
  bucket?: string | null;
  timeZone?: string | null;
  limit?: number | null;
};
export type AnswerRow = { bucket: string; metric: string; groups: Record<string, string | null>; values: Record<string, number | null> };
export type QueryAnswer = {
  query: { metrics: string[]; aggregations: string[]; groupBy: string[]; from: string; to: string; bucket: string | null; timeZone: string; limit: number };
  rows: AnswerRow[];
  rowCount: number;
  truncated: boolean;
  source: string;
  cached: boolean;
  computedAt: string;
};
export type ChartKind = 'line' | 'bar' | 'area' | 'table';
export type Share = { principalType: 'user' | 'role'; principal: string; permission: 'view' | 'edit'; createdBy: string; createdAt: string };
export type Report = {
  id: string;
  name: string;
  description?: string | null;
  template?: string | null;
  query: QuerySpec;
  chart: ChartKind;
  format: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  access: 'view' | 'edit' | 'manage';
  shares: Share[] | null;
};
export type Template = { template: string; name: string; description: string; query: QuerySpec; chart: ChartKind; format: string };

export const CHARTS: { value: ChartKind; label: string }[] = [
  { value: 'line', label: 'Line' },
  { value: 'bar', label: 'Bar' },
  { value: 'area', label: 'Area' },
  { value: 'table', label: 'Table only' },
];

export const EXPORTS = [
  { format: 'csv', label: 'Export CSV', accept: 'text/csv' },
  { format: 'xlsx', label: 'Export Excel', accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { format: 'pdf', label: 'Export PDF', accept: 'application/pdf' },
] as const;

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The query builder's state: what the form shows, turned into a QuerySpec by specOf. */
export type FilterDraft = { field: string; op: 'equals' | 'in'; value: string };
export type Draft = {
  metrics: string[];
  aggregations: string[];
  groupBy: string[];
  groupByTag: string;
  filters: FilterDraft[];
  /** 'fixed' for from/to, otherwise an ISO 8601 period or duration for `last`. */
  range: string;
  from: string;
  to: string;
  bucket: string;
  timeZone: string;
  chart: ChartKind;
};

/** A datetime-local value (the browser's local time, to the minute). */
function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function freshDraft(metrics: string[]): Draft {
  const now = new Date();
  return {
    metrics,
    aggregations: ['sum'],
    groupBy: [],
    groupByTag: '',
    filters: [],
    range: 'fixed',
    from: localInput(new Date(now.getTime() - 7 * 86_400_000)),
    to: localInput(now),
    bucket: 'day',
    timeZone: browserTimeZone(),
    chart: 'line',
  };
}

export const DIMENSIONS = ['region', 'service', 'account'];

export function draftOf(spec: QuerySpec, chart: ChartKind, base: Draft): Draft {
  const groupBy = spec.groupBy ?? [];
  return {
    ...base,
    metrics: spec.metrics,
    aggregations: spec.aggregations?.length ? spec.aggregations : ['sum'],
    groupBy: groupBy.filter((g) => DIMENSIONS.includes(g)),
    groupByTag: groupBy.find((g) => g.startsWith('tags.'))?.slice(5) ?? '',
    filters: (spec.filters ?? []).map((f) => ({ field: f.field, op: f.op, value: f.op === 'in' ? (f.values ?? []).join(', ') : (f.value ?? '') })),
    range: spec.last ?? 'fixed',
    from: spec.from ? localInput(new Date(spec.from)) : base.from,
    to: spec.to ? localInput(new Date(spec.to)) : base.to,
    bucket: spec.bucket ?? '',
    timeZone: spec.timeZone ?? base.timeZone,
    chart,
  };
}

export function specOf(d: Draft): QuerySpec {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    metrics: d.metrics,
    aggregations: d.aggregations,
    groupBy: [...d.groupBy, ...(d.groupByTag.trim() ? ['tags.' + d.groupByTag.trim()] : [])],
    filters: d.filters.map((f) =>
      f.op === 'in'
        ? { field: f.field.trim(), op: 'in', values: f.value.split(',').map((v) => v.trim()).filter(Boolean) }
        : { field: f.field.trim(), op: 'equals', value: f.value },
    ),
    ...(d.range === 'fixed' ? { from: instant(d.from), to: instant(d.to) } : { last: d.range }),
    bucket: d.bucket || undefined,
    timeZone: d.timeZone.trim() || undefined,
  };
}

/**
 * The error if it names item `index` of `list` ("filters[1].value"), else undefined: forField reads
 * that name as "value", which every filter row has, so only the named row is given the error.
 */
export function itemError(error: unknown, list: string, index: number): ApiError | undefined {
  if (!(error instanceof ApiError)) return undefined;
  // Only this row's errors: another row's "value" must not be shown (or joined) here.
  const own = error.fieldErrors.filter((f) => f.field.split('.').includes(`${list}[${index}]`));
  return own.length ? new ApiError(error.status, error.title, error.detail, own, error.type) : undefined;
}

const number = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: 2 }));

function bucketLabel(text: string, bucket: string | null, timeZone: string): string {
  try {
    return new Date(text).toLocaleString(undefined, {
      timeZone,
      dateStyle: 'medium',
      ...(bucket === 'hour' || bucket === null ? { timeStyle: 'short' } : {}),
    });
  } catch {
    return text;
  }
}

const TABLE_ROWS = 500;
const CHART_SERIES = 12;
const PALETTE = ['#4f46e5', '#0e9f6e', '#d97706', '#dc2626', '#0891b2', '#7c3aed', '#65a30d', '#db2777', '#475569', '#ca8a04', '#2563eb', '#059669'];

type Series = { label: string; values: (number | null)[] };

function seriesOf(answer: QueryAnswer): { times: number[]; series: Series[] } {
  const buckets = [...new Set(answer.rows.map((r) => r.bucket))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const at = new Map(buckets.map((b, i) => [b, i]));
  const aggregations = answer.query.aggregations;
  const byLabel = new Map<string, (number | null)[]>();
  for (const row of answer.rows) {
    for (const agg of aggregations) {
      const parts = [row.metric, ...Object.entries(row.groups).map(([k, v]) => `${k}=${v ?? '(none)'}`), ...(aggregations.length > 1 ? [agg] : [])];
      const label = parts.join(' · ');
      const values = byLabel.get(label) ?? buckets.map(() => null);
      values[at.get(row.bucket)!] = row.values[agg] ?? null;
      byLabel.set(label, values);
    }
  }
  return { times: buckets.map((b) => Date.parse(b) / 1000), series: [...byLabel].map(([label, values]) => ({ label, values })) };
}

// uPlot's facet unit for values on the x scale (its const enum cannot be imported here).
const SCALE_VALUE = 1 as uPlot.Series.BarsPathBuilderFacetUnit;

/** Bars of `count` series side by side in each bucket, `step` seconds apart; this one is `index`. */
function groupedBars(count: number, index: number, step: number) {
  const group = step * 0.8;
  const bar = group / count;
  return uPlot.paths.bars?.({
    gap: 1,
    disp: {
      x0: { unit: SCALE_VALUE, values: (u) => (u.data[0] as number[]).map((x) => x - group / 2 + index * bar) },
      size: { unit: SCALE_VALUE, values: () => [bar] },
    },
  });
}

function Chart({ answer, kind, label }: { answer: QueryAnswer; kind: Exclude<ChartKind, 'table'>; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const { times, series } = seriesOf(answer);
  const drawn = series.slice(0, CHART_SERIES);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const height = 260;
    let step = Infinity;
    for (let i = 1; i < times.length; i++) step = Math.min(step, times[i] - times[i - 1]);
    if (!Number.isFinite(step)) step = 86_400;
    const plot = new uPlot(
      {
        width: el.clientWidth || 640,
        height,
        legend: { show: false },
        // Buckets are cut in the query's time zone, so the axis reads them there too.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), answer.query.timeZone),
        // Bars need half a bucket either side, or the first and last are cut in half; bars and
        // areas stand on zero.
        scales: {
          // The axis spans the query's range, not just the buckets that have points (one point
          // alone would otherwise get a range of years).
          x: {
            time: true,
            range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
              const from = Date.parse(answer.query.from) / 1000;
              const to = Date.parse(answer.query.to) / 1000;
              const [lo, hi] = Number.isFinite(from) && Number.isFinite(to) ? [Math.min(from, min), Math.max(to, max)] : [min, max];
              return kind === 'bar' ? [lo - step / 2, hi + step / 2] : [lo, hi];
            },
          },
          ...(kind === 'line' ? {} : { y: { range: (_u: uPlot, min: number, max: number) => uPlot.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) } }),
        },
        // The value axis grows with its longest label (uPlot's fixed width cuts off large numbers).
        axes: [{}, { size: (_u: uPlot, values: string[]) => 18 + 7 * Math.max(3, ...(values ?? []).map((v) => v.length)) }],
        series: [
          {},
          ...drawn.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            fill: kind === 'line' ? undefined : PALETTE[i % PALETTE.length] + (kind === 'bar' ? '99' : '26'),
            paths: kind === 'bar' ? groupedBars(drawn.length, i, step) : undefined,
            points: { show: kind !== 'bar' && times.length <= 40 },
          })),
        ],
      },
      [times, ...drawn.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // The answer and the kind determine every part of the plot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer, kind]);

  return (
    <figure aria-label={label} className="analytics-chart">
      <div ref={box} className="chart" />
      <figcaption className="legend">
        {drawn.map((s, i) => (
          <span key={s.label}>
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
            {s.label}
          </span>
        ))}
        {series.length > drawn.length ? <span>and {series.length - drawn.length} more series (in the table)</span> : null}
      </figcaption>
    </figure>
  );
}

/** A query's answer: what was computed, a chart (unless the report asks for a table) and the rows. */
export function ResultView({ answer, chart, chartLabel }: { answer: QueryAnswer; chart: ChartKind; chartLabel: string }) {
  const q = answer.query;
  const shown = answer.rows.slice(0, TABLE_ROWS);
  return (
    <div className="stack analytics-result">
      <p className="caption" data-testid="result-summary">
        {answer.rowCount.toLocaleString()} rows · {bucketLabel(q.from, 'hour', q.timeZone)} to {bucketLabel(q.to, 'hour', q.timeZone)} ({q.timeZone}) ·{' '}
        {q.bucket ? 'per ' + q.bucket : 'one total'} · {answer.cached ? 'from the cache' : 'computed'} {new Date(answer.computedAt).toLocaleTimeString()}
      </p>
      {answer.truncated ? <p className="notice">There are more rows than the limit of {q.limit.toLocaleString()}; export the query to get them all.</p> : null}
      {answer.rows.length === 0 ? (
        <Empty>No points in this range.</Empty>
      ) : (
        <>
          {chart === 'table' ? null : <Chart answer={answer} kind={chart} label={chartLabel} />}
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Query rows">
            <table>
              <caption className="sr-only">Query rows</caption>
              <thead>
                <tr>
                  <th scope="col">Bucket</th>
                  <th scope="col">Metric</th>
                  {q.groupBy.map((g) => (
                    <th scope="col" key={g}>
                      {g}
                    </th>
                  ))}
                  {q.aggregations.map((a) => (
                    <th scope="col" className="num" key={a}>
                      {a}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((r, i) => (
                  <tr key={i}>
                    <td>{bucketLabel(r.bucket, q.bucket, q.timeZone)}</td>
                    <td className="mono">{r.metric}</td>
                    {q.groupBy.map((g) => (
                      <td key={g}>{r.groups[g] ?? '(none)'}</td>
                    ))}
                    {q.aggregations.map((a) => (
                      <td className="num" key={a}>
                        {number(r.values[a])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {answer.rows.length > shown.length ? (
            <p className="caption">
              Showing the first {shown.length.toLocaleString()} of {answer.rows.length.toLocaleString()} rows; an export holds them all.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

export const fileName = (name: string, extension: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-') + '.' + extension;
