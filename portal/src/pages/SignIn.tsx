import { useEffect, useState } from 'react';
import { ApiError, signIn } from '../api';
import { Field, FormError, useAction } from '../ui';

/** Password (with the authenticator code once it is asked for), or an API key for developers. */
export default function SignIn() {
  const [mode, setMode] = useState<'password' | 'apiKey'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [recoveryCode, setRecoveryCode] = useState('');
  const [apiKey, setApiKey] = useState('');
  const action = useAction(async () => {
    try {
      if (mode === 'apiKey') await signIn({ apiKey });
      else
        await signIn({
          email,
          password,
          totp: useRecovery ? undefined : totp || undefined,
          recoveryCode: useRecovery ? recoveryCode || undefined : undefined,
        });
    } catch (e) {
      // The password was right and the account has a second factor: ask for the code, not an error.
      if (e instanceof ApiError && e.type.endsWith('/mfa-required') && !needsCode) {
        setNeedsCode(true);
        return;
      }
      throw e;
    }
  });
  useEffect(() => {
    document.title = 'Sign in · SecureBase';
  }, []);
  return (
    <main className="sign-in" id="main">
      <form
        className="card"
        aria-labelledby="sign-in-title"
        onSubmit={(e) => {
          e.preventDefault();
          action.run();
        }}
      >
        <h1 id="sign-in-title">Sign in to SecureBase</h1>
        <div className="tabs" role="group" aria-label="Sign-in method">
          <button type="button" aria-pressed={mode === 'password'} onClick={() => setMode('password')}>
            Email and password
          </button>
          <button type="button" aria-pressed={mode === 'apiKey'} onClick={() => setMode('apiKey')}>
            API key
          </button>
        </div>
        {mode === 'password' ? (
          <>
            <Field label="Email" name="email" error={action.error}>
              {(p) => <input {...p} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
            </Field>
            <Field label="Password" name="password" error={action.error}>
              {(p) => <input {...p} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
            {needsCode ? (
              <p className="notice" role="status">
                This account uses two-factor authentication: enter the code from your authenticator app.
              </p>
            ) : null}
            {needsCode && !useRecovery ? (
              <Field label="Authenticator code" name="totp" error={action.error} hint="The 6-digit code from your authenticator app">
                {(p) => <input {...p} autoFocus inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" value={totp} onChange={(e) => setTotp(e.target.value)} />}
              </Field>
            ) : null}
            {needsCode && useRecovery ? (
              <Field label="Recovery code" name="recoveryCode" error={action.error} hint="One of the codes you saved when you set up two-factor authentication; each works once">
                {(p) => <input {...p} autoFocus autoComplete="off" value={recoveryCode} onChange={(e) => setRecoveryCode(e.target.value)} />}
              </Field>
            ) : null}
            {needsCode ? (
              <button type="button" className="secondary" onClick={() => setUseRecovery(!useRecovery)}>
                {useRecovery ? 'Use the authenticator code' : 'Use a recovery code instead'}
              </button>
            ) : null}
          </>
        ) : (
          <Field label="API key" name="apiKey" error={action.error} hint="Starts with sb_live_">
            {(p) => <input {...p} type="password" autoComplete="off" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} />}
          </Field>
        )}
        <FormError error={action.error} fields={['email', 'password', 'totp', 'recoveryCode', 'apiKey']} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
