// Unassigned Leads: every lead nobody has taken yet (new, distributing, exception), newest first,
// with the Lead Exception filters plus status. Exceptions can be assigned from here too.
import { useEffect, useState } from 'react';
import { PROSPECT_STATUSES } from '@leadline/domain';
import { api } from '../../api';
import { ErrorBanner, Loading, useAsync } from '../../ui/async';
import { Pager } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { AssignDialog } from './AssignDialog';
import { formatAmount, formatDateTime, humanize, MultiSelect, options } from './controls';
import { hasFilters, LeadFilterCells, LeadFilters, NO_FILTERS, useCampaignOptions, useLeadQuery } from './lead-filters';
import './admin.css';
import type { LeadRowView, Page } from '@leadline/contracts';

const STATUSES = PROSPECT_STATUSES.filter((s) => s !== 'assigned');
const COLUMNS = ['Prospect name', 'Campaign', 'Description', 'Distribution', 'Lead provider', 'Loan purpose type', 'Loan amount', 'State', 'Failure reason', 'Create date', 'Status'];

export function UnassignedLeadsPage() {
  const toast = useToast();
  const [filters, setFilters] = useState<LeadFilters>(NO_FILTERS);
  const [status, setStatus] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [assigning, setAssigning] = useState<LeadRowView | null>(null);
  const query = useLeadQuery(filters);
  const campaigns = useCampaignOptions();
  const list = useAsync(() => api.get<Page<LeadRowView>>('/unassigned-leads', { ...query, status, page, pageSize }), [query, status, page, pageSize]);
  const set = (patch: Partial<LeadFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  // Rows that left (assigned, ignored, deleted) can leave the page past the end: step back.
  const pastEnd = !!list.data && !list.data.items.length && list.data.total > 0 && page > 1;
  useEffect(() => {
    if (pastEnd && list.data) setPage(Math.max(1, Math.ceil(list.data.total / list.data.pageSize)));
  }, [pastEnd, list.data]);
  const rows = list.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Unassigned leads</h1>
        {(hasFilters(filters) || status.length > 0) && (
          <button
            type="button"
            onClick={() => {
              set(NO_FILTERS);
              setStatus([]);
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <p className="muted">Leads nobody has taken yet, newest first. Lead exceptions can be assigned here or on the Lead exceptions page.</p>
      <ErrorBanner error={campaigns.error} onRetry={campaigns.reload} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <div className="table-wrap">
        <table className="sticky-actions dense" aria-label="Unassigned leads" aria-busy={list.loading}>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c}>{c}</th>
              ))}
              <th>Actions</th>
            </tr>
            <tr className="filters">
              <LeadFilterCells filters={filters} set={set} campaigns={campaigns.data ?? []} rows={rows} />
              <th>
                <MultiSelect
                  label="Filter by status"
                  options={options(STATUSES, humanize)}
                  value={status}
                  onChange={(s) => {
                    setStatus(s);
                    setPage(1);
                  }}
                />
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.prospectId} className={r.ignored ? 'ignored' : undefined}>
                <td>{r.name || <span className="muted">(no name)</span>}</td>
                <td>{r.campaign.name}</td>
                <td>{r.description}</td>
                <td>{humanize(r.distribution)}</td>
                <td>{r.leadProvider}</td>
                <td>{humanize(r.loanPurpose)}</td>
                <td className="num">{formatAmount(r.loanAmount)}</td>
                <td>{r.state}</td>
                <td>{r.failureReason}</td>
                <td className="nowrap">{formatDateTime(r.createDate)}</td>
                <td>
                  {humanize(r.status)}
                  {r.ignored && <span className="muted"> · ignored</span>}
                </td>
                <td className="actions-cell">
                  {r.status === 'exception' && (
                    <button type="button" className="small" onClick={() => setAssigning(r)} aria-label={`Assign ${r.name}`}>
                      Assign
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data && !rows.length && (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="muted">
                  No unassigned leads{hasFilters(filters) || status.length ? ' match these filters' : ''}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <div className="row" style={{ justifyContent: 'flex-end', alignItems: 'center' }}>
          <label className="inline">
            Rows per page
            <select
              aria-label="Rows per page"
              value={pageSize}
              onChange={(e) => {
                setPageSize(Number(e.target.value));
                setPage(1);
              }}
            >
              {[25, 50, 100, 200].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </div>
      )}
      {assigning && (
        <AssignDialog
          lead={assigning}
          onClose={() => setAssigning(null)}
          onAssigned={(who) => {
            toast('success', `${assigning.name || 'Lead'} assigned to ${who}`);
            setAssigning(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}
