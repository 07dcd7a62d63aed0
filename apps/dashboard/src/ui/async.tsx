// Loading and error states that are always visible, and a hook that loads data for a page.
import { DependencyList, ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="loading" role="progressbar" aria-label={what}>
      {what}…
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export interface AsyncData<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
  setData(data: T): void;
}

/** Runs `load` on mount and whenever `deps` change; the latest answer wins. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    run()
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setError(e);
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [run, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1), setData };
}

/** Shows loading / error / content for an AsyncData. */
export function AsyncView<T>({ state, children }: { state: AsyncData<T>; children: (data: T) => ReactNode }) {
  if (state.error && state.data === null) return <ErrorBanner error={state.error} onRetry={state.reload} />;
  if (state.data === null) return <Loading />;
  return (
    <>
      <ErrorBanner error={state.error} onRetry={state.reload} />
      {children(state.data)}
    </>
  );
}
