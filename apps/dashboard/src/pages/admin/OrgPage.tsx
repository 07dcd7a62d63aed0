// Organization: the org caller ID (shown to agents on distribution calls) and the org number
// (last-resort outbound caller ID). Admins edit; the server checks the phone numbers.
import { FormEvent, useState } from 'react';
import { api } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { useToast } from '../../ui/toast';
import './admin.css';
import type { OrgView } from '@leadline/contracts';

export function OrgPage() {
  const state = useAsync(() => api.get<OrgView>('/org'), []);
  return (
    <>
      <h1>Organization</h1>
      <AsyncView state={state}>{(org) => <OrgForm org={org} onSaved={state.setData} />}</AsyncView>
    </>
  );
}

function OrgForm({ org, onSaved }: { org: OrgView; onSaved: (org: OrgView) => void }) {
  const toast = useToast();
  const [name, setName] = useState(org.name);
  const [callerId, setCallerId] = useState(org.callerId ?? '');
  const [orgNumber, setOrgNumber] = useState(org.orgNumber ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const saved = await api.patch<OrgView>('/org', { name: name.trim(), callerId: callerId.trim() || null, orgNumber: orgNumber.trim() || null });
      onSaved(saved);
      setCallerId(saved.callerId ?? '');
      setOrgNumber(saved.orgNumber ?? '');
      setError(null);
      toast('success', 'Organization saved');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)}>
      <ErrorBanner error={error} />
      <div className="grid-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Org caller ID
          <input value={callerId} onChange={(e) => setCallerId(e.target.value)} placeholder="+15125550100" inputMode="tel" />
          <span className="muted">Shown to agents on distribution calls</span>
        </label>
        <label>
          Org number
          <input value={orgNumber} onChange={(e) => setOrgNumber(e.target.value)} placeholder="+18005550100" inputMode="tel" />
          <span className="muted">Last-resort caller ID shown to borrowers</span>
        </label>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
