import { useState } from 'react';
import { api, ApiError, download, get } from '../api';
import { useSession } from '../session';
import { Async, Card, day, Empty, ErrorNote, Field, FormError, Link, money, PageHeader, useAction, useLoad, when } from '../ui';
import { periodOf, StatusBadge, type InvoiceStatus } from './Invoices';
import './Invoice.css';

type Line = {
  id: string;
  position: number;
  kind: string;
  description: string;
  metricCode: string | null;
  chargeModel: string | null;
  quantity: string | null;
  amount: string;
};
type CreditNote = { id: string; number: string; reason: string; subtotal: string; discount: string; tax: string; total: string; createdAt: string };
type InvoiceDetail = {
  id: string;
  number: string;
  status: InvoiceStatus;
  tier: string;
  periodStart: string;
  currency: string;
  subtotal: string;
  discount: string;
  taxRate: string;
  tax: string;
  total: string;
  credited: string;
  createdAt: string;
  finalizedAt?: string | null;
  paidAt?: string | null;
  voidedAt?: string | null;
  lines: Line[];
  creditNotes: CreditNote[];
};

export default function Invoice({ params }: { params: Record<string, string> }) {
  const { can } = useSession();
  const path = '/v1/invoices/' + encodeURIComponent(params.id);
  const invoice = useLoad(() => get<InvoiceDetail>(path), [params.id]);
  const files = useAction(download);
  const move = useAction(async (step: 'finalize' | 'pay' | 'void') => {
    await api('POST', `${path}/${step}`);
    invoice.reload();
  });

  const inv = invoice.data;
  if (!inv)
    return (
      <>
        <PageHeader title="Invoice" />
        <Async state={invoice} label="invoice">
          {() => null}
        </Async>
      </>
    );
  return (
    <div className="invoice-page">
      <p className="back">
        <Link to="/invoices">← Invoices</Link>
      </p>
      <PageHeader title={inv.number}>
        <button type="button" className="secondary" disabled={files.busy} onClick={() => files.run(`${path}/pdf`, `${inv.number}.pdf`, 'application/pdf')}>
          Download PDF
        </button>
        <button type="button" className="secondary" disabled={files.busy} onClick={() => files.run(`${path}/lines.csv`, `${inv.number}-lines.csv`, 'text/csv')}>
          Download lines (CSV)
        </button>
        {can('billing.manage') && inv.status === 'draft' ? (
          <button type="button" disabled={move.busy} onClick={() => move.run('finalize')}>
            Finalize
          </button>
        ) : null}
        {can('billing.manage') && inv.status === 'finalized' ? (
          <>
            <button type="button" disabled={move.busy} onClick={() => move.run('pay')}>
              Mark paid
            </button>
            <button
              type="button"
              className="danger"
              disabled={move.busy}
              onClick={() => window.confirm(`Void ${inv.number}? A void invoice cannot be reopened.`) && move.run('void')}
            >
              Void
            </button>
          </>
        ) : null}
      </PageHeader>
      <ErrorNote error={files.error ?? move.error} />
      {inv.status === 'draft' ? (
        <p className="notice">This is a draft: finalizing recomputes it from the usage recorded by then and closes the period to further usage.</p>
      ) : null}
      <Card title="Summary">
        <dl className="invoice-facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={inv.status} />
          </dd>
          <dt>Period</dt>
          <dd>{periodOf(inv.periodStart)}</dd>
          <dt>Tier</dt>
          <dd>{inv.tier}</dd>
          <dt>Created</dt>
          <dd>{when(inv.createdAt)}</dd>
          {inv.finalizedAt ? (
            <>
              <dt>Finalized</dt>
              <dd>{when(inv.finalizedAt)}</dd>
            </>
          ) : null}
          {inv.paidAt ? (
            <>
              <dt>Paid</dt>
              <dd>{when(inv.paidAt)}</dd>
            </>
          ) : null}
          {inv.voidedAt ? (
            <>
              <dt>Voided</dt>
              <dd>{when(inv.voidedAt)}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title="Lines">
        <Lines inv={inv} />
      </Card>
      <Card title="Credit notes">
        {inv.creditNotes.length === 0 ? (
          <Empty>No credit notes.</Empty>
        ) : (
          <ul className="rows">
            {inv.creditNotes.map((n) => (
              <li key={n.id}>
                <strong>{n.number}</strong>
                <span>{money(n.total, inv.currency)}</span>
                <span className="caption">
                  {n.reason} · {day(n.createdAt)}
                </span>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Download credit note PDF ${n.number}`}
                  disabled={files.busy}
                  onClick={() => files.run(`${path}/credit-notes/${encodeURIComponent(n.id)}/pdf`, `${n.number}.pdf`, 'application/pdf')}
                >
                  Download credit note PDF
                </button>
              </li>
            ))}
          </ul>
        )}
        {can('billing.manage') && (inv.status === 'finalized' || inv.status === 'paid') ? <IssueCreditNote inv={inv} path={path} onIssued={invoice.reload} /> : null}
      </Card>
    </div>
  );
}

function Lines({ inv }: { inv: InvoiceDetail }) {
  const less = (amount: string) => (Number(amount) > 0 ? '−' : '') + money(amount, inv.currency);
  const totals: [string, string][] = [
    ['Subtotal', money(inv.subtotal, inv.currency)],
    ['Discount', less(inv.discount)],
    [`Tax (${(Number(inv.taxRate) * 100).toLocaleString()} %)`, money(inv.tax, inv.currency)],
    ['Total', money(inv.total, inv.currency)],
    ['Credited', less(inv.credited)],
  ];
  return (
    <table>
      <caption className="sr-only">Lines of {inv.number}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Description</th>
          <th scope="col">Charge model</th>
          <th scope="col" className="num">Quantity</th>
          <th scope="col" className="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {inv.lines.map((l) => (
          <tr key={l.id}>
            <td>{l.position}</td>
            <td>{l.description}</td>
            <td>{l.chargeModel ?? '—'}</td>
            <td className="num">{l.quantity === null ? '—' : Number(l.quantity).toLocaleString()}</td>
            <td className="num">{money(l.amount, inv.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {totals.map(([label, value]) => (
          <tr key={label}>
            <th scope="row" colSpan={4} className="num">
              {label}
            </th>
            <td className="num">{label === 'Total' ? <strong>{value}</strong> : value}</td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

/** Corrects a frozen invoice: the whole of what is left, or chosen amounts of chosen lines. */
function IssueCreditNote({ inv, path, onIssued }: { inv: InvoiceDetail; path: string; onIssued: () => void }) {
  const [reason, setReason] = useState('');
  const [full, setFull] = useState(true);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [issued, setIssued] = useState<CreditNote | null>(null);
  const creditable = inv.lines.filter((l) => Number(l.amount) > 0);
  const action = useAction(async () => {
    setIssued(null);
    const lines = Object.entries(amounts)
      .filter(([, a]) => a.trim() !== '')
      .map(([lineId, a]) => ({ lineId, amount: Number(a) }));
    if (!full && lines.length === 0) throw new Error('Enter an amount for at least one line, or credit the whole invoice.');
    const note = await api<CreditNote>('POST', `${path}/credit-notes`, full ? { reason, full: true } : { reason, lines });
    setIssued(note);
    setReason('');
    setAmounts({});
    onIssued();
  });
  const linesError = action.error instanceof ApiError ? action.error.forField('lines') : undefined;

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        action.run();
      }}
    >
      <h3>Issue credit note</h3>
      <Field label="Reason" name="reason" error={action.error}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />}
      </Field>
      <div className="checks">
        <label>
          <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> Credit the whole invoice
        </label>
      </div>
      {full ? null : (
        <fieldset aria-describedby={linesError ? 'credit-lines-error' : undefined}>
          <legend>Amounts to credit</legend>
          <div className="stack">
            {creditable.map((l) => (
              <Field key={l.id} label={`${l.description} (of ${money(l.amount, inv.currency)})`} name={'line-' + l.id}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min="0.01"
                    max={l.amount}
                    step="0.01"
                    value={amounts[l.id] ?? ''}
                    onChange={(e) => setAmounts((a) => ({ ...a, [l.id]: e.target.value }))}
                  />
                )}
              </Field>
            ))}
          </div>
          {linesError ? (
            <span className="field-error" id="credit-lines-error">
              Lines {linesError}
            </span>
          ) : null}
        </fieldset>
      )}
      <FormError error={action.error} fields={['reason', 'lines']} />
      <div className="row">
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Issuing…' : 'Issue credit note'}
        </button>
      </div>
      {issued ? (
        <p className="notice" role="status">
          {issued.number} credits {money(issued.total, inv.currency)}.
        </p>
      ) : null}
    </form>
  );
}
