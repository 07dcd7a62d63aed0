// What every chart of the dashboard shares (docs/reports.md): the Okabe–Ito palette (readable with
// every common colour-vision deficiency), a second cue per series besides colour (dash pattern,
// marker shape), axis units, and a figure frame with a caption, a data table alternative and a
// PNG download of the chart drawn from its SVG.
import { ReactNode, useRef } from 'react';

/** Okabe & Ito (2008): distinguishable without relying on hue alone. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;
/** Line dash patterns, one per series, so lines differ in print and in grey too. */
export const DASHES = ['0', '6 3', '2 3', '10 4 2 4', '1 5'] as const;
/** recharts marker shapes, one per series. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;

/** ms → "850 ms", "7.5 s", "2 min 5 s", "1 h 20 min" (figures keep milliseconds; people read this). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1_000);
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${Math.round(rate * 1000) / 10} %`;
}

/** Draws the first SVG inside `root` onto a white canvas and downloads it as a PNG. */
export async function downloadPng(root: HTMLElement, fileName: string): Promise<void> {
  const svg = root.querySelector('svg');
  if (!svg) throw new Error('no chart to save');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Text takes the page's font when drawn alone.
  clone.setAttribute('style', `font-family: ${getComputedStyle(root).fontFamily}; font-size: 12px`);
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be drawn'));
      image.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
    saveBlob(png, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function saveBlob(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
}

/**
 * A chart with its title, a one-line summary for screen readers (the chart itself is an image to
 * them), buttons for the PNG and the CSV of its rows, and the rows as a table below.
 */
export function ChartFigure({ title, summary, fileName, onCsv, table, children }: { title: string; summary: string; fileName: string; onCsv?: () => void; table?: ReactNode; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  return (
    <figure className="chart-figure" aria-label={title}>
      <div className="chart-head">
        <figcaption>{title}</figcaption>
        <div className="chart-buttons">
          <button type="button" className="small" onClick={() => ref.current && void downloadPng(ref.current, `${fileName}.png`)} aria-label={`Download ${title} as PNG`}>
            PNG
          </button>
          {onCsv && (
            <button type="button" className="small" onClick={onCsv} aria-label={`Download ${title} as CSV`}>
              CSV
            </button>
          )}
        </div>
      </div>
      <div ref={ref} role="img" aria-label={`${title}: ${summary}`} className="chart-body">
        {children}
      </div>
      {table && (
        <details className="chart-table">
          <summary>Table</summary>
          {table}
        </details>
      )}
    </figure>
  );
}
