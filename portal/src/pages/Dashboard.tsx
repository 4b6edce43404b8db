import { get, type Page } from '../api';
import { useLive, type Notification } from '../live';
import { useSession } from '../session';
import { Async, Badge, Card, Empty, Link, money, PageHeader, useLoad, when } from '../ui';
import { PriorityBadge, type TicketView } from './tickets';

type Usage = {
  period: string;
  currency: string;
  baseFee: string;
  totalSoFar: string;
  projectedTotal: string;
  metrics: { code: string; name: string; unit: string; quantity: string; chargeSoFar: string; projectedCharge: string }[];
};
type Budget = {
  id: string;
  name: string;
  currency: string;
  amount: string;
  current?: { actualSpend: string; forecastSpend: string; actualPercent: number; forecastPercent: number } | null;
};

export default function Dashboard() {
  const { can } = useSession();
  const live = useLive();
  const usage = useLoad(() => (can('billing.read') ? get<Usage>('/v1/metrics') : Promise.resolve(null)));
  const tickets = useLoad(() => get<Page<TicketView>>('/v1/support/tickets?status=open&sort=-createdAt&limit=5'));
  // The newest arrival and the count change on every push and every read; arrived stops growing at 50.
  const unread = useLoad(() => get<Page<Notification>>('/v1/notifications?read=false&limit=5'), [live.arrived[0]?.id, live.unreadCount]);
  const budgets = useLoad(async () => {
    if (!can('forecasts.read')) return null;
    const list = await get<{ items: Budget[] }>('/v1/budgets');
    // The list leaves each budget's current period out; its detail carries it.
    return { items: await Promise.all(list.items.slice(0, 5).map((b) => get<Budget>('/v1/budgets/' + encodeURIComponent(b.id)))) };
  });

  return (
    <>
      <PageHeader title="Dashboard" />
      <div className="grid">
        {can('billing.read') ? (
          <Card title="This period" footer={<Link to="/invoices">Invoices</Link>}>
            <Async state={usage} label="usage">
              {(u) =>
                u && (
                  <>
                    <div className="figures">
                      <div>
                        <span className="figure" data-testid="total-so-far">{money(u.totalSoFar, u.currency)}</span>
                        <span className="caption">so far in {u.period}</span>
                      </div>
                      <div>
                        <span className="figure">{money(u.projectedTotal, u.currency)}</span>
                        <span className="caption">projected for the period</span>
                      </div>
                    </div>
                    <table>
                      <caption className="sr-only">Usage by metric</caption>
                      <thead>
                        <tr>
                          <th scope="col">Metric</th>
                          <th scope="col" className="num">Used</th>
                          <th scope="col" className="num">Projected charge</th>
                        </tr>
                      </thead>
                      <tbody>
                        {u.metrics.map((m) => (
                          <tr key={m.code}>
                            <td>{m.name}</td>
                            <td className="num">
                              {Number(m.quantity).toLocaleString()} {m.unit}
                            </td>
                            <td className="num">{money(m.projectedCharge, u.currency)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )
              }
            </Async>
          </Card>
        ) : null}
        <Card title="Open tickets" footer={<Link to="/support">All tickets</Link>}>
          <Async state={tickets} label="tickets">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>No open tickets.</Empty>
              ) : (
                <ul className="rows">
                  {page.items.map((t) => (
                    <li key={t.id}>
                      <Link to={'/support/' + t.id}>{t.subject}</Link> <PriorityBadge priority={t.priority} />
                      <span className="caption">{when(t.createdAt)}</span>
                    </li>
                  ))}
                </ul>
              )
            }
          </Async>
        </Card>
        <Card title={`Unread notifications (${live.unreadCount ?? '…'})`} footer={<Link to="/notifications">Notification centre</Link>}>
          <Async state={unread} label="notifications">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>Nothing unread.</Empty>
              ) : (
                <ul className="rows">
                  {page.items.map((n) => (
                    <li key={n.id}>
                      <strong>{n.title}</strong> <span className="caption">{when(n.createdAt)}</span>
                    </li>
                  ))}
                </ul>
              )
            }
          </Async>
        </Card>
        {can('forecasts.read') ? (
          <Card title="Budgets" footer={<Link to="/forecasts">Forecasts and budgets</Link>}>
            <Async state={budgets} label="budgets">
              {(b) =>
                !b || b.items.length === 0 ? (
                  <Empty>No budgets yet.</Empty>
                ) : (
                  <ul className="rows">
                    {b.items.map((x) => {
                      const forecast = x.current?.forecastPercent ?? 0;
                      return (
                        <li key={x.id}>
                          <span>{x.name}</span>{' '}
                          <Badge tone={forecast >= 100 ? 'bad' : forecast >= 80 ? 'warn' : 'good'}>
                            {Math.round(x.current?.actualPercent ?? 0)}% spent, {Math.round(forecast)}% forecast
                          </Badge>
                          <meter min={0} max={100} value={Math.min(100, x.current?.actualPercent ?? 0)} aria-label={`${x.name} spent`} />
                          <span className="caption">of {money(x.amount, x.currency)}</span>
                        </li>
                      );
                    })}
                  </ul>
                )
              }
            </Async>
          </Card>
        ) : null}
      </div>
    </>
  );
}
