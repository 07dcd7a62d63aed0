// Server-side pagination controls.
import { useEffect } from 'react';
import type { Page } from '@leadline/contracts';

export const PAGE_SIZES = [25, 50, 100, 200];

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹ Previous
      </button>
      <span>
        Page {page} of {pages} · {total} total
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next ›
      </button>
    </nav>
  );
}

/**
 * Below a paged table: the pager of the page the server sent, with a "Rows per page" choice when the
 * page lets the user pick it (a new size starts again at page 1).
 */
export function PagedFooter({ data, onPage, pageSize, onPageSize }: { data: Page<unknown>; onPage: (page: number) => void; pageSize?: number; onPageSize?: (size: number) => void }) {
  const pager = <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={onPage} />;
  if (pageSize === undefined || !onPageSize) return pager;
  return (
    <div className="row" style={{ justifyContent: 'flex-end', alignItems: 'center' }}>
      <label className="inline">
        Rows per page
        <select
          aria-label="Rows per page"
          value={pageSize}
          onChange={(e) => {
            onPageSize(Number(e.target.value));
            onPage(1);
          }}
        >
          {PAGE_SIZES.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      {pager}
    </div>
  );
}

/** Rows that left (assigned, ignored, deleted) can leave the page past the end: step back to the last page. */
export function useStepBackPastEnd(data: Page<unknown> | null | undefined, page: number, setPage: (page: number) => void): void {
  const total = data?.total;
  const size = data?.pageSize;
  useEffect(() => {
    if (total !== undefined && size && page > 1 && (page - 1) * size >= total) setPage(Math.max(1, Math.ceil(total / size)));
  }, [total, size, page, setPage]);
}
