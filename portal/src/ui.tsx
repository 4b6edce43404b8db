// The portal's building blocks: every page is made of these, so loading, empty and error states,
// labels and field errors look and behave the same everywhere.
import { type ReactNode, type AnchorHTMLAttributes, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, baseField, type Page } from './api';
import { navigate } from './router';

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      href={to}
      {...rest}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export type Loaded<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> };

/**
 * Loads once per change of its dependencies; reload() loads again (after a change the page made)
 * and settles when that load has. A failed reload keeps what was shown, with the error beside it;
 * an older load that ends after a newer one started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const settled = useRef<(() => void)[]>([]);
  useEffect(() => {
    let live = true;
    const waiting = settled.current.splice(0);
    setState((s) => ({ ...s, loading: true }));
    load()
      .then(
        (data) => live && setState({ data, loading: false }),
        (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
      )
      .finally(() => waiting.forEach((done) => done()));
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(
    () =>
      new Promise<void>((done) => {
        settled.current.push(done);
        setRound((n) => n + 1);
      }),
    [],
  );
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Renders the states of a load: loading, failed (in plain words), or the content (with a failed refresh above it). */
export function Async<T>({ state, children, label }: { state: Loaded<T>; children: (data: T) => ReactNode; label: string }) {
  if (state.data === undefined) {
    return state.error ? <ErrorNote error={state.error} /> : <p className="loading" role="status">Loading {label}…</p>;
  }
  return (
    <>
      {state.error ? <ErrorNote error={state.error} /> : null}
      {children(state.data)}
    </>
  );
}

export type Paged<T> = Loaded<Page<T>> & { items: T[]; nextCursor: string | null; more: () => void; busy: boolean; moreError: unknown };

/**
 * A cursor-paged list: the first page through useLoad, then "Load more" appends. A page that
 * arrives after the list was reloaded or its filters changed belongs to the old list and is dropped.
 */
export function usePaged<T>(load: (cursor?: string) => Promise<Page<T>>, deps: unknown[] = []): Paged<T> {
  const first = useLoad(() => load(), deps);
  // Later pages, tagged with the first page they follow: a reload gives a new first page.
  const [later, setLater] = useState<{ after?: Page<T>; items: T[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const firstPage = useRef(first.data);
  firstPage.current = first.data;
  const ours = later.after !== undefined && later.after === first.data;
  const nextCursor = ours ? later.nextCursor : (first.data?.nextCursor ?? null);
  const more = () => {
    const after = first.data;
    if (!nextCursor || busy || !after) return;
    setBusy(true);
    setMoreError(null);
    load(nextCursor)
      .then(
        (page) => {
          if (firstPage.current !== after) return; // the list was reloaded meanwhile
          setLater((l) => ({ after, items: [...(l.after === after ? l.items : []), ...page.items], nextCursor: page.nextCursor }));
        },
        (e) => setMoreError(e),
      )
      .finally(() => setBusy(false));
  };
  return { ...first, items: [...(first.data?.items ?? []), ...(ours ? later.items : [])], nextCursor, more, busy, moreError };
}

/** The "Load more" button of a paged list, with its error. */
export function LoadMore<T>({ paged, label = 'Load more' }: { paged: Paged<T>; label?: string }) {
  return (
    <>
      <ErrorNote error={paged.moreError} />
      {paged.nextCursor ? (
        <p>
          <button type="button" className="secondary" disabled={paged.busy} onClick={paged.more}>
            {paged.busy ? 'Loading…' : label}
          </button>
        </p>
      ) : null}
    </>
  );
}

/**
 * Calls poll every ms while active and the tab is visible, never while the previous call runs
 * (a slow network gets a late answer, not a pile of cancelled ones).
 */
export function usePoll(poll: () => Promise<unknown> | void, ms: number, active = true): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    if (!active) return;
    let running = false;
    const timer = setInterval(() => {
      if (running || document.hidden) return;
      running = true;
      Promise.resolve(latest.current())
        .catch(() => undefined)
        .finally(() => (running = false));
    }, ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    // A tier or a rule refuses with its reason; a missing role only with a title.
    if (error.status === 403) return error.detail || 'Your role does not allow this.';
    if (error.status === 404) return 'This does not exist, or it belongs to another tenant.';
    if (error.status === 429) return 'Too many requests; wait a moment and try again.';
    if (error.status >= 500) return 'The service is not answering right now; try again shortly.';
    const fields = error.fieldErrors.map((f) => `${f.field} ${f.message}`).join('; ');
    return fields || error.detail || error.title;
  }
  if (error instanceof TypeError) return 'The platform cannot be reached; check your connection.';
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describe(error)}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A labelled control with the API's message for that field right under it. */
export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: unknown;
  hint?: string;
  children: (props: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const message = error instanceof ApiError ? error.forField(name) : undefined;
  const described = message ? id + '-error' : hint ? id + '-hint' : undefined;
  return (
    <div className={'field' + (message ? ' invalid' : '')}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': !!message, 'aria-describedby': described })}
      {message ? (
        <span className="field-error" id={id + '-error'}>
          {label} {message}
        </span>
      ) : hint ? (
        <span className="hint" id={id + '-hint'}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** The error of a form: field messages go next to their fields, anything else above the buttons. */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError && error.fieldErrors.length > 0 && error.fieldErrors.every((f) => fields.includes(baseField(f.field))))
    return (
      <p className="error" role="alert">
        Please correct the highlighted fields.
      </p>
    );
  return <ErrorNote error={error} />;
}

/** Runs an action, keeping its error and busy state for the form that started it. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, setError };
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · SecureBase`;
  }, [title]);
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="actions">{children}</div>
    </header>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={'badge ' + tone}>{children}</span>;
}

export function Card({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
      {footer ? <div className="card-footer">{footer}</div> : null}
    </section>
  );
}

export const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
export const day = (iso?: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');
export function money(amount?: string | number | null, currency = 'USD'): string {
  if (amount === undefined || amount === null || amount === '') return '—';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount));
}

/**
 * A secret the API answers only once (API key, signing secret, invitation token): shown with a
 * copy button and a plain warning that it cannot be shown again.
 */
export function SecretOnce({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="stack">
      <output aria-label={label} className="secret">
        {value}
      </output>
      <div className="row">
        <button type="button" className="secondary" onClick={copy}>
          Copy
        </button>
        <span role="status" className="caption">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused; select the text and copy it.' : ''}
        </span>
      </div>
      <p className="notice">This is the only time the secret is shown.{children ? <> {children}</> : null}</p>
    </div>
  );
}

/** A group of checkboxes with a legend and the API's message for the group (or a hint) under it. */
export function ChecksField({
  legend,
  name,
  options,
  error,
  hint,
  checked = [],
  disabled = [],
}: {
  legend: string;
  name: string;
  options: readonly string[];
  error: unknown;
  hint?: string;
  checked?: readonly string[];
  /** Options shown but not offered (a role this session may not grant). */
  disabled?: readonly string[];
}) {
  const id = useId();
  const message = error instanceof ApiError ? error.forField(name) : undefined;
  return (
    <fieldset aria-describedby={message || hint ? id : undefined}>
      <legend>{legend}</legend>
      <div className="checks">
        {options.map((option) => (
          <label key={option}>
            <input type="checkbox" name={name} value={option} defaultChecked={checked.includes(option)} disabled={disabled.includes(option)} /> {option}
          </label>
        ))}
      </div>
      {message ? (
        <span className="field-error" id={id}>
          {legend} {message}
        </span>
      ) : hint ? (
        <span className="hint" id={id}>
          {hint}
        </span>
      ) : null}
    </fieldset>
  );
}
