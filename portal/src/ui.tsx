// The portal's building blocks: every page is made of these, so loading, empty and error states,
// labels and field errors look and behave the same everywhere.
import { type ReactNode, type AnchorHTMLAttributes, useCallback, useEffect, useId, useState } from 'react';
import { ApiError } from './api';
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

export type Loaded<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** Loads once per change of its dependencies; reload() loads again (after a change the page made). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Renders the three states of a load: loading, failed (in plain words), or the content. */
export function Async<T>({ state, children, label }: { state: Loaded<T>; children: (data: T) => ReactNode; label: string }) {
  if (state.error) return <ErrorNote error={state.error} />;
  if (state.data === undefined) return <p className="loading" role="status">Loading {label}…</p>;
  return <>{children(state.data)}</>;
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'Your role does not allow this.';
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
  if (error instanceof ApiError && error.fieldErrors.length > 0 && error.fieldErrors.every((f) => fields.some((n) => error.forField(n) === f.message)))
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
