import { clip, esc, n, text } from './svg.js';
import { FONT_FAMILY, svgToPng } from './render.js';

/** What the chart draws: ProgressView and ProgressReport (src/core/progress/report.ts) both fit. */
export type ChartView = {
  competencies: { competency: string; average: number; answered: number }[];
  answered?: number;
  trend?: { competency: string; points: { period: string; average: number }[] }[];
  trendBy?: 'week' | 'session';
  title?: string;
};

export type ProgressChart = { svg: string; png: Buffer; width: number; height: number };

const WIDTH = 800;
const PAD = 32;
const ROW = 40;
const LABEL_W = 210;
const TREND_W = 120;
const DELTA_W = 56;
const MAX_TREND_POINTS = 12;

const COLORS = { low: '#ef4444', mid: '#f59e0b', high: '#22c55e', line: '#4f46e5', grid: '#e5e7eb', muted: '#6b7280', ink: '#111827' };

const band = (score: number) => (score < 50 ? COLORS.low : score < 70 ? COLORS.mid : COLORS.high);

/**
 * A horizontal bar per competency (its average score, 0–100, colored by band), weakest first as
 * the view orders them, with a sparkline of its trend and the change from first to last period.
 * Pure SVG; `png` is the same picture rasterised offline at twice the size.
 */
export function renderProgressChart(view: ChartView, options: { scale?: number } = {}): ProgressChart {
  const svg = progressSvg(view);
  const { width, height } = sizeOf(svg);
  return { svg, png: svgToPng(svg, options.scale ?? 2), width, height };
}

function sizeOf(svg: string): { width: number; height: number } {
  const m = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

export function progressSvg(view: ChartView): string {
  const rows = view.competencies;
  const trends = new Map((view.trend ?? []).map((t) => [t.competency, t.points]));
  const withTrend = trends.size > 0;
  const top = 112;
  const height = rows.length === 0 ? 180 : top + rows.length * ROW + 72;
  const barX = PAD + LABEL_W;
  const barRight = WIDTH - PAD - (withTrend ? TREND_W + DELTA_W + 24 : 40);
  const barW = barRight - barX;
  const x = (score: number) => barX + (barW * Math.max(0, Math.min(100, score))) / 100;
  const answered = view.answered ?? rows.reduce((s, r) => s + r.answered, 0);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}, sans-serif">`,
    `<title>${esc(view.title ?? 'Progress by competency')}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(PAD, 44, view.title ?? 'Progress by competency', { size: 22, weight: 600 }),
  );
  if (rows.length === 0) {
    out.push(text(PAD, 72, 'No graded answers yet: practise a few questions and come back.', { size: 14, fill: COLORS.muted }), '</svg>');
    return out.join('\n');
  }
  const by = view.trendBy === 'session' ? 'per session' : 'per week';
  out.push(text(PAD, 70, `${answered} graded answer${answered === 1 ? '' : 's'} · average score out of 100 · weakest first`, { size: 13, fill: COLORS.muted }));

  // Column heads and the score grid.
  out.push(text(PAD, top - 14, 'Competency', { size: 12, weight: 600, fill: COLORS.muted }));
  out.push(text(barX, top - 14, 'Average score', { size: 12, weight: 600, fill: COLORS.muted }));
  const trendX = barRight + 24;
  if (withTrend) out.push(text(trendX, top - 14, `Trend ${by}`, { size: 12, weight: 600, fill: COLORS.muted }));
  const gridBottom = top + rows.length * ROW;
  for (const tick of [0, 25, 50, 75, 100]) {
    const tx = x(tick);
    out.push(`<line x1="${n(tx)}" y1="${top - 4}" x2="${n(tx)}" y2="${gridBottom}" stroke="${COLORS.grid}" stroke-width="1"${tick === 0 ? '' : ' stroke-dasharray="3 3"'}/>`);
    out.push(text(tx, gridBottom + 18, String(tick), { size: 11, fill: COLORS.muted, anchor: 'middle' }));
  }

  rows.forEach((row, i) => {
    const y = top + i * ROW;
    const mid = y + ROW / 2;
    out.push(text(PAD, mid + 5, clip(row.competency, 26), { size: 14 }));
    const end = Math.max(x(row.average), barX + 3);
    out.push(`<rect x="${barX}" y="${n(mid - 11)}" width="${n(end - barX)}" height="22" rx="4" fill="${band(row.average)}"/>`);
    const label = `${Math.round(row.average)}`;
    const inside = end - barX > 44;
    out.push(text(inside ? end - 8 : end + 8, mid + 5, label, { size: 13, weight: 600, fill: inside ? '#ffffff' : COLORS.ink, anchor: inside ? 'end' : 'start' }));
    out.push(text(inside ? end + 8 : end + 34, mid + 5, `n=${row.answered}`, { size: 11, fill: COLORS.muted }));
    if (withTrend) out.push(...sparkline(trends.get(row.competency) ?? [], trendX, mid, view.trendBy));
  });

  // Legend.
  const ly = gridBottom + 48;
  let lx = PAD;
  for (const [color, label] of [[COLORS.low, 'below 50'], [COLORS.mid, '50–69'], [COLORS.high, '70 and up']] as const) {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" rx="2" fill="${color}"/>`, text(lx + 18, ly, label, { size: 12, fill: COLORS.muted }));
    lx += 110;
  }
  if (withTrend) out.push(text(WIDTH - PAD, ly, `change = last ${view.trendBy === 'session' ? 'session' : 'week'} minus first`, { size: 12, fill: COLORS.muted, anchor: 'end' }));
  out.push('</svg>');
  return out.join('\n');
}

function sparkline(all: { average: number }[], x0: number, mid: number, by: ChartView['trendBy']): string[] {
  const points = all.slice(-MAX_TREND_POINTS);
  const h = 26;
  // Scaled to the data (at least 30 points tall) so a real change is visible, yet flat stays flat.
  const values = points.map((p) => p.average);
  const centre = (Math.min(...values, 100) + Math.max(...values, 0)) / 2;
  const span = Math.max(30, Math.max(...values, 0) - Math.min(...values, 100));
  const lo = Math.max(0, Math.min(100 - span, centre - span / 2));
  const px = (i: number) => x0 + (points.length === 1 ? TREND_W / 2 : (TREND_W * i) / (points.length - 1));
  const py = (v: number) => mid + h / 2 - (h * (Math.max(lo, Math.min(lo + span, v)) - lo)) / span;
  const out = [`<line x1="${x0}" y1="${n(mid + h / 2)}" x2="${x0 + TREND_W}" y2="${n(mid + h / 2)}" stroke="${COLORS.grid}" stroke-width="1"/>`];
  if (points.length === 0) return out;
  if (points.length > 1) {
    const d = points.map((p, i) => `${n(px(i))},${n(py(p.average))}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${COLORS.line}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  const last = points.at(-1)!;
  out.push(`<circle cx="${n(px(points.length - 1))}" cy="${n(py(last.average))}" r="3.5" fill="${COLORS.line}"/>`);
  const dx = x0 + TREND_W + 12;
  if (points.length < 2) {
    out.push(text(dx, mid + 5, by === 'session' ? '1 session' : '1 week', { size: 12, fill: COLORS.muted }));
  } else {
    const delta = Math.round(last.average - points[0]!.average);
    const label = delta > 0 ? `+${delta}` : delta < 0 ? `−${-delta}` : '±0';
    const fill = delta > 0 ? '#15803d' : delta < 0 ? '#b91c1c' : COLORS.muted;
    out.push(text(dx, mid + 5, label, { size: 13, weight: 600, fill }));
  }
  return out;
}
