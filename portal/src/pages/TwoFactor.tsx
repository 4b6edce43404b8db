import { useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { api, get } from '../api';
import { Async, Badge, Card, Field, FormError, SecretOnce, useAction, useLoad } from '../ui';
import './TwoFactor.css';

type Me = { id: string; email: string; mfaEnabled: boolean };

/** The otpauth URI as a QR code, which authenticator apps scan (an SVG image, drawn here). */
function SetupCode({ uri }: { uri: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(
      (s) => live && setSvg(s),
      () => live && setSvg(null), // the URI and the secret below still work
    );
    return () => {
      live = false;
    };
  }, [uri]);
  return svg ? <img className="qr" src={'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg)} width={180} height={180} alt="QR code of the authenticator setup URI" /> : null;
}

/** The signed-in user's own TOTP device: set up (with recovery codes, shown once) or turn off. */
export function TwoFactor({ mfaRequired }: { mfaRequired: boolean }) {
  const me = useLoad(() => get<Me>('/v1/users/me'));
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const start = useAction(async () => setEnrolment(await api('POST', '/v1/users/me/mfa')));
  const confirm = useAction(async (code: string) => {
    const answer = await api<{ recoveryCodes: string[] }>('POST', '/v1/users/me/mfa/confirm', { code });
    setEnrolment(null);
    setRecoveryCodes(answer.recoveryCodes);
    me.reload();
  });
  const turnOff = useAction(async (code: string) => {
    await api('POST', '/v1/users/me/mfa/disable', { code });
    setRecoveryCodes(null);
    me.reload();
  });

  const codeOf = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    return String(new FormData(e.currentTarget).get('code') ?? '').trim();
  };

  return (
    <Card title="Two-factor authentication">
      <Async state={me} label="your account">
        {(user) => (
          <div className="stack two-factor">
            <p>
              Status: {user.mfaEnabled ? <Badge tone="good">On</Badge> : <Badge tone="warn">Off</Badge>}
            </p>
            {recoveryCodes ? (
              <div className="recovery">
                <h3>Recovery codes</h3>
                <SecretOnce label="Recovery codes" value={recoveryCodes.join('\n')}>
                  Each code signs you in once if you lose the device.
                </SecretOnce>
                <div className="row">
                  <button type="button" className="secondary" onClick={() => setRecoveryCodes(null)}>
                    Done
                  </button>
                </div>
              </div>
            ) : null}
            {user.mfaEnabled ? (
              mfaRequired ? (
                <p className="notice">Your organisation requires two-factor authentication, so it cannot be turned off.</p>
              ) : (
                <form className="stack" onSubmit={(e) => turnOff.run(codeOf(e))} noValidate>
                  <Field label="Code" name="code" error={turnOff.error} hint="A current code from your authenticator app.">
                    {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />}
                  </Field>
                  <FormError error={turnOff.error} fields={['code']} />
                  <div className="row">
                    <button type="submit" className="danger" disabled={turnOff.busy}>
                      Turn off
                    </button>
                  </div>
                </form>
              )
            ) : enrolment ? (
              <form className="stack" onSubmit={(e) => confirm.run(codeOf(e))} noValidate>
                <p>Add this account to your authenticator app with the URI (or type the secret), then enter the code it shows.</p>
                <SetupCode uri={enrolment.otpauthUri} />
                <output aria-label="Authenticator setup URI" className="secret">
                  {enrolment.otpauthUri}
                </output>
                <output aria-label="Authenticator secret" className="secret">
                  {enrolment.secret}
                </output>
                <Field label="Code" name="code" error={confirm.error}>
                  {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />}
                </Field>
                <FormError error={confirm.error} fields={['code']} />
                <div className="row">
                  <button type="submit" disabled={confirm.busy}>
                    Confirm
                  </button>
                  <button type="button" className="secondary" onClick={() => setEnrolment(null)}>
                    Cancel
                  </button>
                </div>
              </form>
            ) : (
              <div className="stack">
                <p>Protect your sign-in with a code from an authenticator app.</p>
                <FormError error={start.error} fields={[]} />
                <div className="row">
                  <button type="button" disabled={start.busy} onClick={() => start.run()}>
                    Set up
                  </button>
                </div>
              </div>
            )}
          </div>
        )}
      </Async>
    </Card>
  );
}
