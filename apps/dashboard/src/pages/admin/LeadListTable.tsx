// The lead table of the Lead Exceptions and Unassigned Leads pages: the lead columns with their
// per-column filters, page-specific extra columns and actions, the empty row, the paged footer and
// the Assign dialog.
import { ReactNode, useState } from 'react';
import type { CampaignView, LeadRowView, Page } from '@leadline/contracts';
import type { AsyncData } from '../../ui/async';
import { ErrorBanner, Loading } from '../../ui/async';
import { PagedFooter } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { AssignDialog } from './AssignDialog';
import { formatAmount, formatDateTime, humanize } from './controls';
import { LeadFilterCells, LeadFilters } from './lead-filters';

export function LeadListTable({
  label,
  columns,
  list,
  campaigns,
  filters,
  setFilters,
  headers,
  extraFilterCells,
  failureNote,
  extraCells,
  actions,
  empty,
  pageSize,
  onPageSize,
  onPage,
}: {
  label: string;
  /** How many columns the headers make (the ten lead columns and the page's extra ones). */
  columns: number;
  list: AsyncData<Page<LeadRowView>>;
  campaigns: AsyncData<CampaignView[]>;
  filters: LeadFilters;
  setFilters: (patch: Partial<LeadFilters>) => void;
  /** The header cells: the ten lead columns, then the page's extra ones (Actions is added). */
  headers: ReactNode;
  /** One filter cell per extra column. */
  extraFilterCells?: ReactNode;
  /** Shown under the failure reason. */
  failureNote?: (r: LeadRowView) => ReactNode;
  /** The page's extra columns' cells. */
  extraCells?: (r: LeadRowView) => ReactNode;
  /** The row's action buttons; `assign` opens the Assign dialog for the row. */
  actions: (r: LeadRowView, assign: () => void) => ReactNode;
  /** The empty row's text. */
  empty: string;
  pageSize: number;
  onPageSize: (size: number) => void;
  onPage: (page: number) => void;
}) {
  const toast = useToast();
  const [assigning, setAssigning] = useState<LeadRowView | null>(null);
  const rows = list.data?.items ?? [];
  return (
    <>
      <ErrorBanner error={campaigns.error} onRetry={campaigns.reload} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <div className="table-wrap">
        <table className="sticky-actions dense" aria-label={label} aria-busy={list.loading}>
          <thead>
            <tr>
              {headers}
              <th>Actions</th>
            </tr>
            <tr className="filters">
              <LeadFilterCells filters={filters} set={setFilters} campaigns={campaigns.data ?? []} rows={rows} />
              {extraFilterCells}
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
                  {failureNote?.(r)}
                </td>
                <td className="nowrap">{formatDateTime(r.createDate)}</td>
                {extraCells?.(r)}
                <td className="actions-cell">{actions(r, () => setAssigning(r))}</td>
              </tr>
            ))}
            {list.data && !rows.length && (
              <tr>
                <td colSpan={columns + 1} className="muted">
                  {empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {list.loading && !list.data && <Loading />}
      {list.data && <PagedFooter data={list.data} onPage={onPage} pageSize={pageSize} onPageSize={onPageSize} />}
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
