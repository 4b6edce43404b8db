import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { money } from '../ui';
import './ForecastChart.css';

export type Bounds = { lower: string; upper: string };
export type ForecastPeriod = { periodStart: string; mean: string; bounds: Record<string, Bounds> };
export type Actual = { periodStart: string; amount: string };
export type AnomalyPoint = { periodStart: string; direction: string };

type Props = {
  granularity: string;
  currency: string;
  history: Actual[];
  periods: ForecastPeriod[];
  levels: number[];
  anomalies: AnomalyPoint[];
};

const HEIGHT = 300;
const ACTUAL = '#1f2330';
const FORECAST = '#4f46e5';
const ANOMALY = '#b42318';
/** Translucent fills stack, so the narrowest interval, covered by all of them, is the darkest. */
const bandFill = (alpha: number) => `rgba(79, 70, 229, ${alpha})`;
const BAND_ALPHA = [0.1, 0.13, 0.16];

const seconds = (isoDate: string) => Date.parse(isoDate + 'T00:00:00Z') / 1000;

export const periodLabel = (periodStart: string, granularity: string) => (granularity === 'month' ? periodStart.slice(0, 7) : periodStart);

/**
 * The total's history, forecast mean and prediction bands, with the anomalies found in the history.
 * The forecast and its bands start at the last actual so they visibly continue the history.
 */
export default function ForecastChart({ granularity, currency, history, periods, levels, anomalies }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const widestFirst = [...levels].sort((a, b) => b - a);
  const anomalous = new Set(anomalies.map((a) => a.periodStart));

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const last = history.at(-1);
    const lead = history.map(() => null as number | null);
    if (last) lead[lead.length - 1] = Number(last.amount);
    const after = (values: number[]) => [...lead, ...values];

    const x = [...history, ...periods].map((p) => seconds(p.periodStart));
    const actual = [...history.map((h) => Number(h.amount)), ...periods.map(() => null)];
    const mean = after(periods.map((p) => Number(p.mean)));
    const edges = widestFirst.flatMap((level) => [
      after(periods.map((p) => Number(p.bounds[level]?.upper))),
      after(periods.map((p) => Number(p.bounds[level]?.lower))),
    ]);
    const marks = [...history.map((h) => (anomalous.has(h.periodStart) ? Number(h.amount) : null)), ...periods.map(() => null)];

    const compact = new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
    const edge: uPlot.Series = { stroke: 'transparent', width: 0, points: { show: false } };
    const options: uPlot.Options = {
      width: el.clientWidth,
      height: HEIGHT,
      legend: { show: false },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { y: { range: (_u, min, max) => [Math.min(0, min), max * 1.05] } },
      axes: [{}, { size: 64, values: (_u, splits) => splits.map((v) => compact.format(v)) }],
      series: [
        {},
        { label: 'Actual cost', stroke: ACTUAL, width: 2, points: { show: false } },
        { label: 'Forecast', stroke: FORECAST, width: 2, dash: [6, 4], points: { show: false } },
        ...widestFirst.flatMap((level) => [
          { ...edge, label: `${level} % upper` },
          { ...edge, label: `${level} % lower` },
        ]),
        { label: 'Anomaly', stroke: ANOMALY, width: 0, paths: () => null, points: { show: true, size: 9, fill: ANOMALY, stroke: '#ffffff' } },
      ],
      bands: widestFirst.map((_, i) => ({ series: [3 + 2 * i, 4 + 2 * i], fill: bandFill(BAND_ALPHA[i] ?? 0.16) })),
    };
    const chart = new uPlot(options, [x, actual, mean, ...edges, marks] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
    // The inputs are one stored forecast: the chart is rebuilt when another one is shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history, periods, levels, anomalies, currency]);

  const unit = granularity === 'month' ? 'months' : 'days';
  const widest = widestFirst[0];
  return (
    <figure className="forecast-figure" aria-label="Forecast chart" data-testid="forecast-chart">
      <div ref={container} className="chart" aria-hidden="true" />
      <figcaption>
        Total cost in {currency}: {history.length} {unit} of history and {periods.length} {unit} forecast, with {[...levels].sort((a, b) => a - b).join(' / ')} % prediction
        intervals.
      </figcaption>
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch line" /> Actual cost
        </li>
        <li>
          <span className="swatch dashed" /> Forecast (mean)
        </li>
        <li>
          <span className="swatch band" /> Prediction intervals, darker is narrower
        </li>
        <li>
          <span className="swatch dot" /> Anomaly ({anomalies.length})
        </li>
      </ul>
      <div className="sr-only">
        <p>
          History from {periodLabel(history[0]?.periodStart ?? '', granularity)} to {periodLabel(history.at(-1)?.periodStart ?? '', granularity)}, last{' '}
          {money(history.at(-1)?.amount, currency)}.{' '}
          {anomalies.length === 0
            ? 'No anomalies.'
            : 'Anomalies: ' + anomalies.map((a) => `${periodLabel(a.periodStart, granularity)} (${a.direction} expected)`).join(', ') + '.'}
        </p>
        <table>
          <caption>Forecast by period</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Forecast</th>
              <th scope="col">{widest} % interval</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.periodStart}>
                <td>{periodLabel(p.periodStart, granularity)}</td>
                <td>{money(p.mean, currency)}</td>
                <td>
                  {money(p.bounds[widest]?.lower, currency)} to {money(p.bounds[widest]?.upper, currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
