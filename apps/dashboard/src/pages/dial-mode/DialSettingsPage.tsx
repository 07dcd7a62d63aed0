// Dial-up settings (admin, manager): the table of campaigns × call modes with the number of queued
// leads per sub-state. A mode's cell links to its settings and operator access; a campaign's name to
// its lead statuses and calling window. The open dialog lives in the URL (?campaign=…&mode=…), so
// links can be shared and Back closes it.
import { useCallback, useRef } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { CampaignDialog } from './CampaignDialog';
import { ModeSettingsDialog } from './ModeSettingsDialog';
import { CALL_MODES, CallMode, modeWords, SUB_STATES, subStateWords } from './dial-types';
import './dial-mode.css';
import type { DialModeOverviewRow } from '@leadline/contracts';

export function DialSettingsPage() {
  const state = useAsync(() => api.get<DialModeOverviewRow[]>('/dial-mode/overview'), []);
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaign');
  const mode = params.get('mode') as CallMode | null;
  const close = useCallback(() => setParams({}), [setParams]);
  const reload = useRef(state.reload);
  reload.current = state.reload;
  const closeAndReload = useCallback(() => {
    setParams({});
    reload.current();
  }, [setParams]);
  const campaignName = state.data?.find((r) => r.campaign.id === campaignId)?.campaign.name ?? '';

  return (
    <div>
      <h1>Dial-up settings</h1>
      <p className="muted">
        Leads queued in each campaign and call mode. Open a mode for its settings and the operators who may work it; open a campaign for its lead statuses and calling window.
      </p>
      <AsyncView state={state}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">No campaigns yet. Create a campaign first.</p>
          ) : (
            <div className="table-wrap" aria-busy={state.loading}>
              <table className="dial-overview" aria-label="Dial-up settings">
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    {CALL_MODES.map((m) => (
                      <th key={m} scope="col">
                        {modeWords(m)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.campaign.id}>
                      <th scope="row">
                        <Link to={`?campaign=${row.campaign.id}`} aria-label={`Statuses and calling window of ${row.campaign.name}`}>
                          {row.campaign.name}
                        </Link>
                      </th>
                      {CALL_MODES.map((m) => {
                        const cell = row.modes.find((x) => x.mode === m);
                        return (
                          <td key={m} className="dial-cell" data-testid={`cell-${row.campaign.name}-${m}`}>
                            <Link className="dial-cell-link" to={`?campaign=${row.campaign.id}&mode=${m}`} aria-label={`Settings of ${row.campaign.name} · ${modeWords(m)}`}>
                              <span className="dial-total">{cell?.total ?? 0}</span>
                              <span aria-hidden="true" className="gear">
                                ⚙
                              </span>
                            </Link>
                            <dl className="dial-counts">
                              {SUB_STATES.map((s) => (
                                <div key={s}>
                                  <dt>{subStateWords(s)}</dt>
                                  <dd>{cell?.counts[s] ?? 0}</dd>
                                </div>
                              ))}
                            </dl>
                            <div className="small muted">
                              {cell?.operators ?? 0} operator{cell?.operators === 1 ? '' : 's'}
                              {cell?.highPriority ? <span className="badge">High priority</span> : null}
                            </div>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </AsyncView>
      {campaignId && mode && CALL_MODES.includes(mode) && <ModeSettingsDialog campaignId={campaignId} campaignName={campaignName} mode={mode} onClose={close} onSaved={closeAndReload} />}
      {campaignId && !mode && <CampaignDialog campaignId={campaignId} campaignName={campaignName} onClose={close} onChanged={state.reload} />}
    </div>
  );
}
