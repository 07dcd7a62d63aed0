// The signed-in user's own applications (GET /api/applications?mine=true), newest first, paginated
// by the server. A lead assigned while the page is open shows up at once.
import { useCallback, useRef, useState } from 'react';
import { api, errorMessage } from '../../api';
import { useSocketEvent } from '../../socket';
import { AsyncView, useAsync } from '../../ui/async';
import { PagedFooter, useStepBackPastEnd } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { formatAmount, formatDateTime, formatPurpose, formatVia, fullName } from './format';
import './agent.css';
import type { ApplicationView, ClickToCallView, ConsentView, Page } from '@leadline/contracts';

const PAGE_SIZE = 25;

export function MyApplications() {
  const [page, setPage] = useState(1);
  const state = useAsync(() => api.get<Page<ApplicationView>>('/applications', { mine: true, page, pageSize: PAGE_SIZE }), [page]);
  const reload = useRef(state.reload);
  reload.current = state.reload;

  useSocketEvent(
    'lead:assigned',
    useCallback(() => reload.current(), []),
  );

  useStepBackPastEnd(state.data, page, setPage);

  return (
    <div>
      <h1>My applications</h1>
      <AsyncView state={state}>
        {(data) =>
          data.total === 0 ? (
            <p className="muted">No applications yet. Leads you take, or that are assigned to you, are listed here.</p>
          ) : (
            <>
              <div className="table-wrap" aria-busy={state.loading}>
                <table aria-label="My applications">
                  <thead>
                    <tr>
                      <th scope="col">Assigned</th>
                      <th scope="col">Name</th>
                      <th scope="col">Mobile</th>
                      <th scope="col">Email</th>
                      <th scope="col">State</th>
                      <th scope="col">Loan purpose</th>
                      <th scope="col">Loan amount</th>
                      <th scope="col">Campaign</th>
                      <th scope="col">How</th>
                      <th scope="col">Consent</th>
                      <th scope="col">
                        <span className="visually-hidden">Call</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((a) => (
                      <tr key={a.id}>
                        <td className="nowrap">{formatDateTime(a.createdAt)}</td>
                        <td className="nowrap">{fullName(a.prospect.firstName, a.prospect.lastName)}</td>
                        <td className="nowrap">{a.prospect.mobilePhone ? <a href={`tel:${a.prospect.mobilePhone}`}>{a.prospect.mobilePhone}</a> : '—'}</td>
                        <td>{a.prospect.email ? <a href={`mailto:${a.prospect.email}`}>{a.prospect.email}</a> : '—'}</td>
                        <td>{a.prospect.propertyState ?? '—'}</td>
                        <td>{formatPurpose(a.prospect.loanPurpose)}</td>
                        <td className="num">{formatAmount(a.prospect.loanAmount)}</td>
                        <td>{a.prospect.campaignName}</td>
                        <td>{formatVia(a.via)}</td>
                        <td>
                          <ConsentDetails consent={a.prospect.consent} />
                        </td>
                        <td>
                          <CallButton application={a} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <PagedFooter data={data} onPage={setPage} />
            </>
          )
        }
      </AsyncView>
    </div>
  );
}

/** The consent evidence the lead vendor posted (docs/compliance.md), folded away until asked for. */
function ConsentDetails({ consent }: { consent: ConsentView | null }) {
  if (!consent) return <span className="muted">None posted</span>;
  const rows: [string, string | null][] = [
    ['Consent text', consent.text],
    ['Consented at', consent.timestamp],
    ['Page', consent.sourceUrl],
    ['IP address', consent.ip],
    ['Certificate', consent.certificate],
    ['Received', formatDateTime(consent.receivedAt)],
  ];
  return (
    <details className="consent">
      <summary>On file</summary>
      <dl aria-label="Consent evidence">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Click-to-call: the server rings the agent's work phone, then the borrower. */
function CallButton({ application }: { application: ApplicationView }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const name = fullName(application.prospect.firstName, application.prospect.lastName);

  async function call() {
    setBusy(true);
    try {
      const answer = await api.post<ClickToCallView>('/calls', { applicationId: application.id });
      const shown = answer.callerId.number ? ` The borrower sees ${answer.callerId.number}.` : '';
      toast('success', `Your phone is ringing: answer it to call ${name} at ${answer.to}.${shown}`);
    } catch (err) {
      toast('error', `Could not call ${name}: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <button type="button" disabled={busy} aria-label={`Call ${name}`} onClick={() => void call()}>
      {busy ? 'Calling…' : 'Call'}
    </button>
  );
}
