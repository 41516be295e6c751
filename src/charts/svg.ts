/** Small helpers for writing SVG by hand. */

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Rounds for output: SVG needs no more than two decimals. */
export const n = (v: number): string => String(Math.round(v * 100) / 100);

export type TextOptions = { size?: number; weight?: 400 | 600; fill?: string; anchor?: 'start' | 'middle' | 'end' };

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
  const weight = o.weight === 600 ? ' font-weight="600"' : '';
  return `<text x="${n(x)}" y="${n(y)}" font-size="${o.size ?? 13}"${weight} fill="${o.fill ?? '#111827'}"${anchor}>${esc(content)}</text>`;
}

/** Shortens a label to `max` characters with an ellipsis. */
export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
