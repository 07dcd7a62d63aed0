// The incoming-call popup: who is calling and the lead we know them as — or that the agent chose
// not to see details, or that no lead matched. It closes by itself when the call stops ringing.
import type { IncomingCallNotice } from '@leadline/contracts';
import { Modal } from '../../ui/modal';
import { formatAmount, formatPurpose } from './format';

export function IncomingCallDialog({ notice, onClose }: { notice: IncomingCallNotice; onClose: () => void }) {
  const { lead } = notice;
  return (
    <Modal title="Incoming call" onClose={onClose}>
      <p className="incoming-from">
        <span className="light red blink" aria-hidden="true" /> {notice.from ?? 'Blocked caller ID'}
      </p>
      {lead ? (
        <dl className="facts" aria-label="Lead details">
          <dt>Name</dt>
          <dd>{lead.name || '(no name)'}</dd>
          <dt>Campaign</dt>
          <dd>{lead.campaign}</dd>
          <dt>State</dt>
          <dd>{lead.state ?? '—'}</dd>
          <dt>Loan purpose</dt>
          <dd>{formatPurpose(lead.loanPurpose)}</dd>
          <dt>Loan amount</dt>
          <dd>{formatAmount(lead.loanAmount)}</dd>
          <dt>Status</dt>
          <dd>{lead.applicationId ? 'Application' : 'Prospect (not assigned yet)'}</dd>
        </dl>
      ) : notice.detailsHidden ? (
        <p className="muted">Lead details hidden: your “Show incoming call details” setting is off.</p>
      ) : (
        <p className="muted">No matching lead for this caller.</p>
      )}
      <p className="muted small">Answer on your phone. This closes when the call stops ringing.</p>
      <div className="actions">
        <button type="button" autoFocus onClick={onClose}>
          Hide
        </button>
      </div>
    </Modal>
  );
}
