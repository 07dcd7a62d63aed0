// Organization: the org caller ID (shown to agents on distribution calls), the org number
// (last-resort outbound caller ID), the office time zone, and the dialling policy (what agents may
// call, and the caller ID of 911 calls), and the recording of borrower calls by their state.
// Admins edit; the server checks every value.
import { FormEvent, useState } from 'react';
import { api } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { useToast } from '../../ui/toast';
import './admin.css';
import type { OrgView } from '@leadline/contracts';

// Intl lists the IANA zones the browser knows (Chromium, Firefox and Safari all do).
const timeZones = (): string[] => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);

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
  const [timeZone, setTimeZone] = useState(org.timeZone);
  const [dialling, setDialling] = useState(org.dialling);
  const [emergencyCallerId, setEmergencyCallerId] = useState(org.emergencyCallerId ?? '');
  const [recording, setRecording] = useState(org.recording);
  const [monitorNoticeToAgent, setMonitorNoticeToAgent] = useState(org.monitorNoticeToAgent);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const saved = await api.patch<OrgView>('/org', {
        name: name.trim(),
        callerId: callerId.trim() || null,
        orgNumber: orgNumber.trim() || null,
        timeZone: timeZone.trim(),
        dialling,
        emergencyCallerId: emergencyCallerId.trim() || null,
        // the two choices only: the org's own prompt (customDisclosure) is read-only here
        recording: { allPartyStates: recording.allPartyStates, onePartyStates: recording.onePartyStates },
        monitorNoticeToAgent,
      });
      onSaved(saved);
      setCallerId(saved.callerId ?? '');
      setOrgNumber(saved.orgNumber ?? '');
      setEmergencyCallerId(saved.emergencyCallerId ?? '');
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
        <label>
          Time zone
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="org-time-zones" required />
          <datalist id="org-time-zones">
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <span className="muted">What &ldquo;today&rdquo; means in reports, and dates typed without a zone</span>
        </label>
        <label>
          911 caller ID
          <input value={emergencyCallerId} onChange={(e) => setEmergencyCallerId(e.target.value)} placeholder="+15125550100" inputMode="tel" />
          <span className="muted">The number registered with the office location; the org number when empty</span>
        </label>
      </div>
      <fieldset className="dialling">
        <legend>Agents may also dial</legend>
        <label className="check">
          <input type="checkbox" checked={dialling.allowInternational} onChange={(e) => setDialling({ ...dialling, allowInternational: e.target.checked })} />
          International numbers (outside the US and Canada)
        </label>
        <label className="check">
          <input type="checkbox" checked={dialling.allowPremium} onChange={(e) => setDialling({ ...dialling, allowPremium: e.target.checked })} />
          Premium-rate numbers (1-900, 976)
        </label>
        <label className="check">
          <input type="checkbox" checked={dialling.allowN11} onChange={(e) => setDialling({ ...dialling, allowN11: e.target.checked })} />
          N11 service codes (211, 311, 411 …)
        </label>
        <span className="muted">US and Canadian numbers, toll-free numbers and 911 are always allowed.</span>
      </fieldset>
      <fieldset className="recording">
        <legend>Recording of borrower calls</legend>
        <label>
          States where every party must consent (CA, FL, PA …)
          <select value={recording.allPartyStates} onChange={(e) => setRecording({ ...recording, allPartyStates: e.target.value as OrgView['recording']['allPartyStates'] })}>
            <option value="disclose_then_record">Play the disclosure, then record</option>
            <option value="do_not_record">Do not record</option>
          </select>
        </label>
        <label>
          Other states
          <select value={recording.onePartyStates} onChange={(e) => setRecording({ ...recording, onePartyStates: e.target.value as OrgView['recording']['onePartyStates'] })}>
            <option value="disclose_then_record">Play the disclosure, then record</option>
            <option value="record_without_disclosure">Record without the disclosure</option>
            <option value="do_not_record">Do not record</option>
          </select>
        </label>
        <span className="muted">The borrower&rsquo;s state is the lead&rsquo;s property state, else their area code&rsquo;s; an unknown state counts as all-party. Not legal advice.</span>
      </fieldset>
      <fieldset className="dialling">
        <legend>Monitoring</legend>
        <label className="check">
          <input type="checkbox" checked={monitorNoticeToAgent} onChange={(e) => setMonitorNoticeToAgent(e.target.checked)} />
          Tell agents when a manager listens, whispers or barges on their call
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
