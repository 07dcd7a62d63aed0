// User Registration: the org's users (server-side pages); admins create, edit and delete them,
// with work phone, caller ID, state licences and distribution filters. A SIP desk phone shows the
// credentials to type into the phone; the password only as the server returns it (once), after
// creation or a rotation.
import { useState } from 'react';
import { ROLES, US_STATES, WORK_PHONE_TYPES } from '@leadline/domain';
import { api, errorMessage } from '../../api';
import { useMe } from '../../auth';
import { ErrorBanner, Loading, useAsync } from '../../ui/async';
import { ConfirmDialog, FormDialog, Modal } from '../../ui/modal';
import { PagedFooter, useStepBackPastEnd } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { ChipsInput, CopyButton, humanize, LoanFilterFields, MultiSelect, numberOrUndefined, options } from './controls';
import './admin.css';
import type { Page, Role, SipAccountView, UserView } from '@leadline/contracts';

type WorkPhoneType = NonNullable<UserView['workPhoneType']>;

const PHONE_TYPE_LABEL: Record<WorkPhoneType, string> = {
  sip_desk: 'SIP desk phone (registers to Leadline)',
  static_ip: 'Static-IP SIP phone',
  external: 'External number (through the trunk)',
};

const PHONE_TYPE_SHORT: Record<WorkPhoneType, string> = { sip_desk: 'SIP desk phone', static_ip: 'Static-IP phone', external: 'External number' };

export function UsersPage() {
  const me = useMe();
  const isAdmin = me.role === 'admin';
  const toast = useToast();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const list = useAsync(() => api.get<Page<UserView>>('/users', { page, pageSize }), [page, pageSize]);
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<UserView | null>(null);
  const [credentials, setCredentials] = useState<{ user: UserView; account: SipAccountView } | null>(null);

  useStepBackPastEnd(list.data, page, setPage);

  const remove = async (u: UserView) => {
    setDeleting(null);
    try {
      await api.delete(`/users/${u.id}`);
      toast('success', `${u.name} deleted`);
      list.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  const saved = (u: UserView, created: boolean) => {
    setEditing(null);
    toast('success', `${u.name} ${created ? 'registered' : 'saved'}`);
    if (u.provisioning === 'pending') toast('warning', `${u.name}'s desk phone is saved but not yet in Asterisk; it is set up when the phone system connects`);
    if (u.sipAccount?.password) setCredentials({ user: u, account: u.sipAccount });
    list.reload();
  };

  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
        {isAdmin && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Register user
          </button>
        )}
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          <div className="table-wrap">
            <table className={isAdmin ? 'sticky-actions' : undefined} aria-label="Users">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Work phone</th>
                  <th>Extension</th>
                  <th>Caller ID</th>
                  <th>State licences</th>
                  <th>Distribution filters</th>
                  <th>Status</th>
                  {isAdmin && <th>Actions</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{u.email}</td>
                    <td>{humanize(u.role)}</td>
                    <td>
                      {u.workPhoneType ? PHONE_TYPE_SHORT[u.workPhoneType] : <span className="muted">none</span>}
                      {u.workPhoneType === 'sip_desk' ? u.sipUsername && <div className="mono muted">{u.sipUsername}</div> : u.workPhone && <div className="mono muted">{u.workPhone}</div>}
                    </td>
                    <td className="mono">{u.extension}</td>
                    <td className="mono">{u.callerId}</td>
                    <td>{u.stateLicences.length > 8 ? `${u.stateLicences.length} states` : u.stateLicences.join(', ')}</td>
                    <td>{filterSummary(u)}</td>
                    <td>{[u.loggedIn ? 'Logged in' : 'Logged out', u.callsOn ? 'calls on' : 'calls off', u.onCall ? 'on a call' : ''].filter(Boolean).join(', ')}</td>
                    {isAdmin && (
                      <td className="actions-cell">
                        <button type="button" className="small" onClick={() => setEditing(u)} aria-label={`Edit ${u.name}`}>
                          Edit
                        </button>
                        {u.id !== me.id && (
                          <button type="button" className="small danger" onClick={() => setDeleting(u)} aria-label={`Delete ${u.name}`}>
                            Delete
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PagedFooter
            data={list.data}
            onPage={setPage}
            pageSize={pageSize}
            onPageSize={setPageSize}
          />
        </>
      )}
      {editing && <UserForm user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={saved} onRotated={(u, account) => {
            setEditing(null);
            setCredentials({ user: u, account });
          }} />}
      {deleting && (
        <ConfirmDialog
          title="Delete user"
          text={`Delete ${deleting.name} (${deleting.email})? They can no longer sign in${deleting.workPhoneType === 'sip_desk' ? ' and their desk phone account is removed' : ''}.`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
      {credentials && <SipCredentialsDialog user={credentials.user} account={credentials.account} onClose={() => setCredentials(null)} />}
    </>
  );
}

function filterSummary(u: UserView): string {
  const parts: string[] = [];
  if (u.filterLoanPurposes.length) parts.push(u.filterLoanPurposes.map(humanize).join(', '));
  if (u.filterLoanAmountMin !== null || u.filterLoanAmountMax !== null) parts.push(`$${u.filterLoanAmountMin?.toLocaleString('en-US') ?? '0'}–${u.filterLoanAmountMax !== null ? `$${u.filterLoanAmountMax.toLocaleString('en-US')}` : 'any'}`);
  if (u.filterLeadProviders.length) parts.push(u.filterLeadProviders.join(', '));
  return parts.join(' · ') || 'any lead';
}

/** The desk phone's SIP settings, with the password the server returned once. */
function SipCredentialsDialog({ user, account, onClose }: { user: UserView; account: SipAccountView; onClose: () => void }) {
  return (
    <Modal title={`Desk phone for ${user.name}`} onClose={onClose}>
      <p>Type these into the desk phone’s SIP account settings.</p>
      <dl className="kv" aria-label="SIP credentials">
        <dt>Server</dt>
        <dd className="mono">{account.server}</dd>
        <dt>Port</dt>
        <dd className="mono">{account.port}</dd>
        <dt>Transport</dt>
        <dd className="mono">{account.transport.toUpperCase()}</dd>
        <dt>Username</dt>
        <dd className="mono">{account.username}</dd>
        {account.password && (
          <>
            <dt>Password</dt>
            <dd>
              <div className="keybox">
                <code data-testid="sip-password">{account.password}</code>
                <CopyButton text={account.password} label="Copy SIP password" />
              </div>
            </dd>
          </>
        )}
      </dl>
      {account.password && <p className="notice">The password is shown only now: Leadline stores it hashed. Rotate it to get a new one.</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose} autoFocus>
          Done
        </button>
      </div>
    </Modal>
  );
}

function UserForm({ user, onClose, onSaved, onRotated }: { user: UserView | null; onClose: () => void; onSaved: (u: UserView, created: boolean) => void; onRotated: (u: UserView, account: SipAccountView) => void }) {
  const toast = useToast();
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'agent');
  const [password, setPassword] = useState('');
  const [phoneType, setPhoneType] = useState<WorkPhoneType | ''>(user?.workPhoneType ?? '');
  const [workPhone, setWorkPhone] = useState(user?.workPhoneType === 'sip_desk' ? '' : (user?.workPhone ?? ''));
  const [callerId, setCallerId] = useState(user?.callerId ?? '');
  const [extension, setExtension] = useState(user?.extension ?? '');
  const [licences, setLicences] = useState<string[]>(user?.stateLicences ?? []);
  const [purposes, setPurposes] = useState<string[]>(user?.filterLoanPurposes ?? []);
  const [amountMin, setAmountMin] = useState(user?.filterLoanAmountMin?.toString() ?? '');
  const [amountMax, setAmountMax] = useState(user?.filterLoanAmountMax?.toString() ?? '');
  const [providers, setProviders] = useState<string[]>(user?.filterLeadProviders ?? []);
  const [showDetails, setShowDetails] = useState(user?.showIncomingCallDetails ?? true);
  const [confirmRotate, setConfirmRotate] = useState(false);

  const submit = async () => {
    const body: Record<string, unknown> = {
      name: name.trim(),
      email: email.trim(),
      role,
      workPhoneType: phoneType || null,
      workPhone: phoneType && phoneType !== 'sip_desk' ? workPhone.trim() || null : null,
      callerId: callerId.trim() || null,
      stateLicences: licences,
      // Empty on a new user: the server gives the next free one.
      ...(extension.trim() ? { extension: extension.trim() } : {}),
      filterLoanPurposes: purposes,
      filterLoanAmountMin: numberOrUndefined(amountMin) ?? null,
      filterLoanAmountMax: numberOrUndefined(amountMax) ?? null,
      filterLeadProviders: providers,
      showIncomingCallDetails: showDetails,
    };
    if (password || !user) body.password = password;
    // Only a changed phone is sent: the server re-provisions (new SIP credentials) on any change.
    if (user && (phoneType || null) === user.workPhoneType && (body.workPhone ?? null) === (user.workPhoneType === 'sip_desk' ? null : user.workPhone)) {
      delete body.workPhoneType;
      delete body.workPhone;
    }
    onSaved(user ? await api.patch<UserView>(`/users/${user.id}`, body) : await api.post<UserView>('/users', body), !user);
  };

  const rotate = async () => {
    if (!user) return;
    setConfirmRotate(false);
    try {
      const rotated = await api.post<UserView>(`/users/${user.id}/sip-password`);
      if (rotated.sipAccount) onRotated(rotated, rotated.sipAccount);
      toast('success', `New SIP password issued for ${user.name}; the old one no longer registers`);
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <FormDialog title={user ? `Edit ${user.name}` : 'Register user'} submitLabel={user ? 'Save' : 'Register'} onSubmit={submit} onClose={onClose}>
      <div className="grid-form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
        </label>
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={200} autoComplete="off" />
        </label>
        <label>
          Role
          <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {user ? 'New password (leave empty to keep)' : 'Password'}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required={!user} minLength={12} maxLength={200} autoComplete="new-password" />
        </label>
      </div>
      <fieldset>
        <legend>Work phone and caller ID</legend>
        <div className="grid-form">
          <label>
            Work phone type
            <select aria-label="Work phone type" value={phoneType} onChange={(e) => setPhoneType(e.target.value as WorkPhoneType | '')}>
              <option value="">None</option>
              {WORK_PHONE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {PHONE_TYPE_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
          {(phoneType === 'static_ip' || phoneType === 'external') && (
            <label>
              {phoneType === 'static_ip' ? 'Phone address (host[:port])' : 'Work phone number'}
              <input value={workPhone} onChange={(e) => setWorkPhone(e.target.value)} required maxLength={100} placeholder={phoneType === 'static_ip' ? '10.0.0.21:5060' : '+15125550123'} />
            </label>
          )}
          <label>
            Caller ID
            <input value={callerId} onChange={(e) => setCallerId(e.target.value)} placeholder="+15125550100" inputMode="tel" />
          </label>
          <label>
            Extension
            <input value={extension} onChange={(e) => setExtension(e.target.value)} placeholder={user ? '' : 'next free (1001 …)'} inputMode="numeric" maxLength={6} pattern="[1-9][0-9]{2,5}" title="3 to 6 digits, not starting with 0" />
          </label>
        </div>
        {phoneType === 'sip_desk' && (
          <div className="notice">
            {user?.workPhoneType === 'sip_desk' && user.sipUsername ? (
              <>
                SIP username <code>{user.sipUsername}</code>. The password was shown once when the phone was set up.{' '}
                {confirmRotate ? (
                  <span role="group" aria-label="Confirm rotation">
                    The desk phone stops registering until the new password is typed into it.{' '}
                    <button type="button" className="small danger" onClick={() => void rotate()}>
                      Yes, rotate
                    </button>{' '}
                    <button type="button" className="small" onClick={() => setConfirmRotate(false)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button type="button" className="small" onClick={() => setConfirmRotate(true)}>
                    Rotate SIP password
                  </button>
                )}
              </>
            ) : (
              'Leadline creates the SIP account when you save and shows its credentials once.'
            )}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Licences and distribution filters</legend>
        <div className="grid-form">
          <div className="field">
            <span>State licences</span>
            <MultiSelect label="State licences" options={options(US_STATES)} value={licences} onChange={setLicences} placeholder="None" />
          </div>
            <LoanFilterFields purposes={purposes} setPurposes={setPurposes} amountMin={amountMin} setAmountMin={setAmountMin} amountMax={amountMax} setAmountMax={setAmountMax} />
        </div>
        <div className="field" style={{ marginTop: '0.75rem' }}>
          <span>Lead providers</span>
          <ChipsInput label="Lead providers" value={providers} onChange={setProviders} placeholder="Any; type one and press Enter" />
        </div>
        <label className="inline" style={{ marginTop: '0.75rem' }}>
          <input type="checkbox" checked={showDetails} onChange={(e) => setShowDetails(e.target.checked)} />
          Show incoming call details
        </label>
      </fieldset>
    </FormDialog>
  );
}
