import { useState } from 'react';
import { ApiError, signIn } from '../api';
import { Field, FormError, useAction } from '../ui';

/** Password (with the authenticator code once it is asked for), or an API key for developers. */
export default function SignIn() {
  const [mode, setMode] = useState<'password' | 'apiKey'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [apiKey, setApiKey] = useState('');
  const action = useAction(async () => {
    try {
      if (mode === 'apiKey') await signIn({ apiKey });
      else await signIn({ email, password, totp: totp || undefined });
    } catch (e) {
      // The gateway answers 401 with "mfa_required" when the password was right but a code is due.
      if (e instanceof ApiError && /code|totp|mfa/i.test(e.detail + e.title) && !needsCode && mode === 'password') {
        setNeedsCode(true);
      }
      throw e;
    }
  });
  document.title = 'Sign in · SecureBase';
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
              <Field label="Authenticator code" name="totp" error={action.error} hint="The 6-digit code from your authenticator app">
                {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" value={totp} onChange={(e) => setTotp(e.target.value)} />}
              </Field>
            ) : null}
          </>
        ) : (
          <Field label="API key" name="apiKey" error={action.error} hint="Starts with sb_live_">
            {(p) => <input {...p} type="password" autoComplete="off" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} />}
          </Field>
        )}
        <FormError error={action.error} fields={['email', 'password', 'totp', 'apiKey']} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
