import { useState, type FormEvent } from 'react';
import { ApiError, api, get } from '../api';
import { useSession, type Tenant } from '../session';
import { Async, Badge, Card, Field, FormError, PageHeader, useAction, useLoad } from '../ui';
import { TwoFactor } from './TwoFactor';
import './Settings.css';

const DEFAULT_BRAND = '#4f46e5';
const HEX = /^#[0-9a-fA-F]{6}$/;
/** The gateway's rule for a logo (every viewer's browser loads it): https only. */
const HTTPS_URL = /^https:\/\/.+/;

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export default function Settings() {
  const { claims, can } = useSession();
  const loaded = useLoad(() => get<Tenant>('/v1/tenants/' + encodeURIComponent(claims.tenant)), [claims.tenant]);
  const [saved, setSaved] = useState<Tenant | null>(null);
  const tenant = saved ?? loaded.data;

  return (
    <div className="settings-page">
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
    </div>
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
          <span className="caption setting-term">Session length</span> {tenant.sessionLengthMinutes ? `${tenant.sessionLengthMinutes} minutes` : 'Default'}
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
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    const logoUrl = text('logoUrl');
    if (logoUrl && !HTTPS_URL.test(logoUrl))
      throw new ApiError(400, 'Invalid settings', '', [{ field: 'logoUrl', message: 'must be an https: address' }]);
    const allowlist = lines(String(form.get('ipAllowlist') ?? ''));
    const before = tenant.ipAllowlist ?? [];
    const narrowed = allowlist.length > 0 && allowlist.join(',') !== before.join(',');
    if (narrowed && !window.confirm('Only the listed addresses will reach the platform. Is the address you work from among them?')) return;
    const minutes = text('sessionLengthMinutes');
    const updated = await api<Tenant>('PATCH', '/v1/tenants/' + encodeURIComponent(tenant.id), {
      branding: { displayName: text('displayName'), primaryColor: color.trim() || null, logoUrl },
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
        <Field label="Logo URL" name="logoUrl" error={save.error} hint="An https: address of a square image.">
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
