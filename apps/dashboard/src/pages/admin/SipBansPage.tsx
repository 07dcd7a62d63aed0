// SIP bans: addresses Asterisk refuses after too many failed registrations or calls (GET
// /api/sip-bans); an admin lifts one at once (DELETE). Bans also end by themselves.
import { useState } from 'react';
import type { SipBanView } from '@leadline/contracts';
import { api, errorMessage } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { formatDateTime } from './controls';
import './admin.css';

export function SipBansPage() {
  const bans = useAsync(() => api.get<SipBanView[]>('/sip-bans'), []);
  const [lifting, setLifting] = useState<SipBanView | null>(null);
  const toast = useToast();

  const lift = async (ban: SipBanView) => {
    setLifting(null);
    try {
      await api.delete(`/sip-bans/${encodeURIComponent(ban.address)}`);
      toast('success', `${ban.address} may reach the SIP port again`);
    } catch (err) {
      toast('error', errorMessage(err));
    }
    bans.reload();
  };

  return (
    <>
      <div className="page-head">
        <h1>SIP bans</h1>
        <button type="button" onClick={bans.reload}>
          Refresh
        </button>
      </div>
      <p className="muted">
        Addresses that failed to authenticate too often at the SIP port are refused there until the ban ends. The carrier&apos;s addresses and the office subnet (SIP_BAN_EXEMPT) are never banned.
      </p>
      <AsyncView state={bans}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No address is banned.</p>
          ) : (
            <div className="table-wrap">
              <table className="sticky-actions" aria-label="SIP bans">
                <thead>
                  <tr>
                    <th>Address</th>
                    <th>Failed requests</th>
                    <th>User names tried</th>
                    <th>Banned at</th>
                    <th>Ends at</th>
                    <th>Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((b) => (
                    <tr key={b.address}>
                      <td className="mono">{b.address}</td>
                      <td>{b.failures}</td>
                      <td className="mono">{b.accounts.join(', ')}</td>
                      <td>{formatDateTime(b.createdAt)}</td>
                      <td>{formatDateTime(b.expiresAt)}</td>
                      <td className="actions-cell">
                        <button type="button" className="small" onClick={() => setLifting(b)} aria-label={`Lift the ban of ${b.address}`}>
                          Lift
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </AsyncView>
      {lifting && (
        <ConfirmDialog
          title="Lift SIP ban"
          text={`Let ${lifting.address} reach the SIP port again now? Its failures start counting afresh.`}
          confirmLabel="Lift ban"
          onCancel={() => setLifting(null)}
          onConfirm={() => void lift(lifting)}
        />
      )}
    </>
  );
}
