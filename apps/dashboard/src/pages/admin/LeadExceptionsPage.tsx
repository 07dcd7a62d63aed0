// Lead Exceptions (PRODUCT.md §3): leads whose distribution failed. Per-column filters of the
// column's type, sort, server-side pages; Assign (user picker), Ignore (confirm), Show ignored
// (ignored rows last, still assignable, unignore).
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { ErrorBanner, Loading, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { Pager } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { AssignDialog } from './AssignDialog';
import { formatAmount, formatDateTime, humanize, SortHeader } from './controls';
import { hasFilters, LeadFilterCells, LeadFilters, NO_FILTERS, useCampaignOptions, useLeadQuery } from './lead-filters';
import './admin.css';
import type { LeadRowView, Page } from '@leadline/contracts';

type SortKey = 'name' | 'campaign' | 'description' | 'distribution' | 'leadProvider' | 'loanPurpose' | 'loanAmount' | 'state' | 'failureReason' | 'createDate';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Prospect name' },
  { key: 'campaign', label: 'Campaign' },
  { key: 'description', label: 'Description' },
  { key: 'distribution', label: 'Distribution' },
  { key: 'leadProvider', label: 'Lead provider' },
  { key: 'loanPurpose', label: 'Loan purpose type' },
  { key: 'loanAmount', label: 'Loan amount' },
  { key: 'state', label: 'State' },
  { key: 'failureReason', label: 'Failure reason' },
  { key: 'createDate', label: 'Create date' },
];

export function LeadExceptionsPage() {
  const toast = useToast();
  const [filters, setFilters] = useState<LeadFilters>(NO_FILTERS);
  const [sort, setSort] = useState<SortKey>('createDate');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [showIgnored, setShowIgnored] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [assigning, setAssigning] = useState<LeadRowView | null>(null);
  const [ignoring, setIgnoring] = useState<LeadRowView | null>(null);
  const query = useLeadQuery(filters);
  const campaigns = useCampaignOptions();
  const list = useAsync(() => api.get<Page<LeadRowView>>('/lead-exceptions', { ...query, sort, order, showIgnored, page, pageSize }), [query, sort, order, showIgnored, page, pageSize]);

  const set = (patch: Partial<LeadFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const ignore = async (row: LeadRowView) => {
    setIgnoring(null);
    try {
      await api.post(`/lead-exceptions/${row.prospectId}/ignore`);
      toast('success', `${row.name || 'Lead'} ignored`);
      list.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  const unignore = async (row: LeadRowView) => {
    try {
      await api.post(`/lead-exceptions/${row.prospectId}/unignore`);
      toast('success', `${row.name || 'Lead'} is listed again`);
      list.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
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
        <h1>Lead exceptions</h1>
        <div className="row" style={{ alignItems: 'center' }}>
          <label className="inline">
            <input
              type="checkbox"
              checked={showIgnored}
              onChange={(e) => {
                setShowIgnored(e.target.checked);
                setPage(1);
              }}
            />
            Show ignored
          </label>
          {hasFilters(filters) && (
            <button type="button" onClick={() => set(NO_FILTERS)}>
              Clear filters
            </button>
          )}
        </div>
      </div>
      <ErrorBanner error={campaigns.error} onRetry={campaigns.reload} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <div className="table-wrap">
        <table className="sticky-actions dense" aria-label="Lead exceptions" aria-busy={list.loading}>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader
                  key={c.key}
                  column={c.key}
                  label={c.label}
                  sort={sort}
                  order={order}
                  onSort={(s, o) => {
                    setSort(s);
                    setOrder(o);
                    setPage(1);
                  }}
                />
              ))}
              <th>Actions</th>
            </tr>
            <tr className="filters">
              <LeadFilterCells filters={filters} set={set} campaigns={campaigns.data ?? []} rows={rows} />
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
                <td>
                  {r.failureReason}
                  {r.ignored && <div className="muted">Ignored {formatDateTime(r.ignoredAt)}</div>}
                </td>
                <td className="nowrap">{formatDateTime(r.createDate)}</td>
                <td className="actions-cell">
                  <button type="button" className="small" onClick={() => setAssigning(r)} aria-label={`Assign ${r.name}`}>
                    Assign
                  </button>
                  {r.ignored ? (
                    <button type="button" className="small" onClick={() => void unignore(r)} aria-label={`Unignore ${r.name}`}>
                      Unignore
                    </button>
                  ) : (
                    <button type="button" className="small" onClick={() => setIgnoring(r)} aria-label={`Ignore ${r.name}`}>
                      Ignore
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data && !rows.length && (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="muted">
                  {hasFilters(filters) ? 'No lead exception matches these filters.' : 'No lead exceptions: every lead found an agent.'}
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
      {ignoring && (
        <ConfirmDialog
          title="Ignore lead exception"
          text={`Ignore ${ignoring.name || 'this lead'}? It is hidden from this list unless “Show ignored” is on, and can still be assigned.`}
          confirmLabel="Ignore"
          onCancel={() => setIgnoring(null)}
          onConfirm={() => void ignore(ignoring)}
        />
      )}
    </>
  );
}
