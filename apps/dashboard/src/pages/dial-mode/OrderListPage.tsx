// The order list (admin, manager): queued leads in the order operators get them (the server's
// order: priority, dial-by time, due time), paginated by the server, with who holds a lead now.
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { PagedFooter, useStepBackPastEnd } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { CALL_MODES, formatWhen, modeWords, SUB_STATES, subStateWords, buttonWords } from './dial-types';
import './dial-mode.css';
import type { DialLeadView, DialModeOverviewRow, Page } from '@leadline/contracts';

const PAGE_SIZE = 25;

export function OrderListPage() {
  const [campaignId, setCampaignId] = useState('');
  const [mode, setMode] = useState('');
  const [subState, setSubState] = useState('');
  const [page, setPage] = useState(1);
  const campaigns = useAsync(() => api.get<DialModeOverviewRow[]>('/dial-mode/overview'), []);
  const state = useAsync(() => api.get<Page<DialLeadView>>('/dial-mode/queue', { campaignId, mode, subState, page, pageSize: PAGE_SIZE }), [campaignId, mode, subState, page]);
  const [releasing, setReleasing] = useState<DialLeadView | null>(null);
  const toast = useToast();

  useEffect(() => setPage(1), [campaignId, mode, subState]);
  useStepBackPastEnd(state.data, page, setPage);

  async function release(entry: DialLeadView) {
    setReleasing(null);
    try {
      await api.post(`/dial-mode/entries/${entry.entryId}/release`);
      toast('success', `${entry.lead.name ?? entry.lead.phone} is back in its queue`);
    } catch (err) {
      toast('error', `Could not release ${entry.lead.name ?? entry.lead.phone}: ${errorMessage(err)}`);
    }
    state.reload();
  }

  return (
    <div>
      <h1>Order list</h1>
      <form className="row dial-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Campaign
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">All campaigns</option>
            {(campaigns.data ?? []).map((r) => (
              <option key={r.campaign.id} value={r.campaign.id}>
                {r.campaign.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Call mode
          <select value={mode} onChange={(e) => setMode(e.target.value)}>
            <option value="">All modes</option>
            {CALL_MODES.map((m) => (
              <option key={m} value={m}>
                {modeWords(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sub-state
          <select value={subState} onChange={(e) => setSubState(e.target.value)}>
            <option value="">All sub-states</option>
            {SUB_STATES.map((s) => (
              <option key={s} value={s}>
                {subStateWords(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </form>
      <AsyncView state={state}>
        {(data) =>
          data.total === 0 ? (
            <p className="muted">No leads in the queue{campaignId || mode || subState ? ' for these filters' : ''}.</p>
          ) : (
            <>
              <div className="table-wrap" aria-busy={state.loading}>
                <table aria-label="Order list">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Lead</th>
                      <th scope="col">Phone</th>
                      <th scope="col">Campaign</th>
                      <th scope="col">Mode</th>
                      <th scope="col">Sub-state</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Due</th>
                      <th scope="col">Dial by</th>
                      <th scope="col">Next allowed time</th>
                      <th scope="col">Held by</th>
                      <th scope="col">Last result</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((e, i) => (
                      <tr key={e.entryId} className={e.doNotCall ? 'dial-dnc' : undefined}>
                        <td className="num">{(data.page - 1) * data.pageSize + i + 1}</td>
                        <td>
                          {e.lead.name ?? '—'}
                          {e.priority > 0 && <span className="badge">High priority</span>}
                        </td>
                        <td className="nowrap mono">
                          {e.lead.phone}
                          {e.doNotCall && <span className="badge danger">Do not call</span>}
                        </td>
                        <td>{e.campaign.name}</td>
                        <td>{modeWords(e.mode)}</td>
                        <td>{subStateWords(e.subState)}</td>
                        <td className="num">
                          {e.attempts} / {e.maxAttempts}
                        </td>
                        <td className="nowrap">{formatWhen(e.dueAt)}</td>
                        <td className="nowrap">{formatWhen(e.dialByAt)}</td>
                        <td className="nowrap">{callableWords(e)}</td>
                        <td className="nowrap">
                          {e.lockedBy ? (
                            <>
                              {e.lockedBy.name}{' '}
                              <button type="button" aria-label={`Release ${e.lead.name ?? e.lead.phone}`} onClick={() => setReleasing(e)}>
                                Release
                              </button>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>{e.lastResult ? buttonWords(e.lastResult) : '—'}</td>
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
      {releasing && (
        <ConfirmDialog
          title="Release lead"
          text={`Give ${releasing.lead.name ?? releasing.lead.phone} back to its queue? ${releasing.lockedBy?.name ?? 'The operator'} will not be able to record a result for it.`}
          confirmLabel="Release"
          onConfirm={() => void release(releasing)}
          onCancel={() => setReleasing(null)}
        />
      )}
    </div>
  );
}

/** When the lead may be dialled: only shown when it differs from the due time (outside the calling window). */
function callableWords(e: DialLeadView): string {
  if (e.callableAt === null) return 'Never (calling windows do not overlap)';
  if (e.callableAt === e.dueAt) return '—';
  return formatWhen(e.callableAt);
}
