// The one CSV upload form (do-not-call list, desk phones): a file, an Import button, then what the
// server made of it — a summary and the rows it refused, by line.
import { ChangeEvent, FormEvent, ReactNode, useState } from 'react';
import { ErrorBanner } from './async';
import { useToast } from './toast';

export interface CsvImportOutcome {
  /** Shown above the refused rows. */
  summary: ReactNode;
  /** The toast: a warning when rows were refused. */
  toast: string;
  rejected: { line: number; value: string; message: string }[];
}

export function CsvImportForm({ title, hint, valueLabel, upload }: { title: string; hint: ReactNode; valueLabel: string; upload: (text: string, fileName: string) => Promise<CsvImportOutcome> }) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<CsvImportOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const outcome = await upload(await file.text(), file.name);
      setResult(outcome);
      toast(outcome.rejected.length ? 'warning' : 'success', outcome.toast);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <p className="muted small">{hint}</p>
      <div className="row">
        <label>
          CSV file
          <input type="file" accept=".csv,text/csv" required onChange={(e: ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" className="primary" disabled={busy || !file}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      <ErrorBanner error={error} />
      {result && (
        <div className="csv-import" role="region" aria-label="Import result">
          <p>{result.summary}</p>
          {result.rejected.length > 0 && (
            <table aria-label="Rejected rows">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">{valueLabel}</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {result.rejected.map((r) => (
                  <tr key={r.line}>
                    <td className="num">{r.line}</td>
                    <td className="mono">{r.value || '(empty)'}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}
