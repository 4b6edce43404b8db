import { useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { api, get } from '../api';
import { useSession, type Tenant } from '../session';
import { Async, Badge, Card, Field, FormError, PageHeader, useAction, useLoad } from '../ui';
import { SecretOnce } from './ApiKeys';
import './Settings.css';

type Me = { id: string; email: string; mfaEnabled: boolean };

const DEFAULT_BRAND = '#4f46e5';
const HEX = /^#[0-9a-fA-F]{6}$/;

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export default function Settings() {
  const { claims, can } = useSession();
  const loaded = useLoad(() => get<Tenant>('/v1/tenants/' + claims.tenant), [claims.tenant]);
  const [saved, setSaved] = useState<Tenant | null>(null);
  const tenant = saved ?? loaded.data;

  return (
    <>
      <PageHeader title="Settings" />
      <Async state={loaded} label="organisation settings">
        {() => (
          <div className="grid">
            <Overview tenant={tenant!} />
            {can('tenant.manage') ? <TenantForm tenant={tenant!} onSaved={setSaved} /> : null}
          </div>
        )}
      </Async>
      {claims.kind === 'user' ? <TwoFactor mfaRequired={!!tenant?.mfaRequired} /> : null}
    </>
  );
}

function Overview({ tenant }: { tenant: Tenant }) {
  const b = tenant.branding;
  return (
    <Card title="Organisation">
      <ul className="rows">
        <li>
          <span className="caption setting-term">Name</span> {tenant.name}
        </li>
        <li>
          <span className="caption setting-term">Tier</span> <Badge tone="info">{tenant.tier}</Badge>
        </li>
        <li>
          <span className="caption setting-term">Display name</span> {b?.displayName || '—'}
        </li>
        <li>
          <span className="caption setting-term">Primary colour</span>
          {b?.primaryColor ? (
            <>
              <span className="swatch" style={{ background: b.primaryColor }} aria-hidden="true" /> <span className="mono">{b.primaryColor}</span>
            </>
          ) : (
            'Default'
          )}
        </li>
        <li>
          <span className="caption setting-term">Logo</span>
          {b?.logoUrl ? <img src={b.logoUrl} alt="Current logo" height={28} /> : 'None'}
        </li>
        <li>
          <span className="caption setting-term">Require MFA</span> {tenant.mfaRequired ? 'Yes' : 'No'}
        </li>
        <li>
          <span className="caption setting-term">Session length</span> {tenant.sessionLengthMinutes} minutes
        </li>
        <li>
          <span className="caption setting-term">IP allowlist</span>
          <span className="mono">{tenant.ipAllowlist?.length ? tenant.ipAllowlist.join(', ') : 'Every address'}</span>
        </li>
      </ul>
    </Card>
  );
}

function TenantForm({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const { setTenant } = useSession();
  const [color, setColor] = useState(tenant.branding?.primaryColor ?? '');
  const [done, setDone] = useState(false);

  const save = useAction(async (form: FormData) => {
    const allowlist = lines(String(form.get('ipAllowlist') ?? ''));
    const before = tenant.ipAllowlist ?? [];
    const narrowed = allowlist.length > 0 && allowlist.join(',') !== before.join(',');
    if (narrowed && !window.confirm('Only the listed addresses will reach the platform. Is the address you work from among them?')) return;
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    const minutes = text('sessionLengthMinutes');
    const updated = await api<Tenant>('PATCH', '/v1/tenants/' + tenant.id, {
      branding: { displayName: text('displayName'), primaryColor: color.trim() || null, logoUrl: text('logoUrl') },
      mfaRequired: form.get('mfaRequired') === 'on',
      sessionLengthMinutes: minutes === null ? undefined : Number(minutes),
      ipAllowlist: allowlist,
    });
    onSaved(updated);
    // The portal wears the new branding at once, not at the next sign-in.
    setTenant(updated);
    setDone(true);
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(false);
    save.run(new FormData(e.currentTarget));
  };

  return (
    <Card title="Branding and security">
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Display name" name="displayName" error={save.error} hint="Shown in the portal instead of the organisation's name.">
          {(p) => <input {...p} defaultValue={tenant.branding?.displayName ?? ''} maxLength={200} />}
        </Field>
        <Field label="Primary colour" name="primaryColor" error={save.error}>
          {(p) => (
            <div className="row colour">
              <input {...p} type="color" value={HEX.test(color) ? color : DEFAULT_BRAND} onChange={(e) => setColor(e.target.value)} />
              <input
                aria-label="Primary colour hex"
                className="mono"
                value={color}
                onChange={(e) => setColor(e.target.value)}
                placeholder={DEFAULT_BRAND}
                maxLength={7}
                size={9}
              />
            </div>
          )}
        </Field>
        <Field label="Logo URL" name="logoUrl" error={save.error} hint="An https URL of a square image.">
          {(p) => <input {...p} type="url" defaultValue={tenant.branding?.logoUrl ?? ''} maxLength={2048} />}
        </Field>
        <div className="field">
          <label className="check">
            <input type="checkbox" name="mfaRequired" defaultChecked={tenant.mfaRequired} aria-describedby="mfa-required-hint" /> Require MFA
          </label>
          <span className="hint" id="mfa-required-hint">
            Every member must set up two-factor authentication before using the portal.
          </span>
        </div>
        <Field label="Session length (minutes)" name="sessionLengthMinutes" error={save.error} hint="From 5 minutes to 30 days.">
          {(p) => <input {...p} type="number" min={5} max={43200} step={1} defaultValue={tenant.sessionLengthMinutes} />}
        </Field>
        <Field label="IP allowlist" name="ipAllowlist" error={save.error} hint="One CIDR per line, e.g. 203.0.113.0/24. Empty: every address.">
          {(p) => <textarea {...p} className="mono" rows={3} defaultValue={(tenant.ipAllowlist ?? []).join('\n')} />}
        </Field>
        <FormError error={save.error} fields={['displayName', 'primaryColor', 'logoUrl', 'mfaRequired', 'sessionLengthMinutes', 'ipAllowlist']} />
        <div className="row">
          <button type="submit" disabled={save.busy}>
            Save settings
          </button>
          <span role="status" className="caption">
            {done ? 'Settings saved.' : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}

/** The otpauth URI as a QR code, which authenticator apps scan (an SVG image, drawn here). */
function SetupCode({ uri }: { uri: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((s) => live && setSvg(s));
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
          <div className="stack">
            <p>
              Status: {user.mfaEnabled ? <Badge tone="good">On</Badge> : <Badge tone="warn">Off</Badge>}
            </p>
            {recoveryCodes ? (
              <div className="recovery">
                <h3>Recovery codes</h3>
                <SecretOnce label="Recovery codes" value={recoveryCodes.join('\n')}>
                  Each code signs you in once if you lose the device.
                </SecretOnce>
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
