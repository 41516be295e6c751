import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderProgressChart } from '../../src/charts/progress-chart.js';

const view = {
  competencies: [
    { competency: 'stakeholder-communication', average: 38, answered: 4 },
    { competency: 'drift', average: 52.4, answered: 6 },
    { competency: 'incident-response', average: 83, answered: 7 },
  ],
  answered: 17,
  trend: [
    { competency: 'stakeholder-communication', points: [{ period: '2026-W02', average: 20 }, { period: '2026-W03', average: 48 }] },
    { competency: 'drift', points: [{ period: '2026-W02', average: 52 }] },
    { competency: 'incident-response', points: [] },
  ],
  trendBy: 'week' as const,
};

/** Width, height and the decoded RGBA/RGB rows of an 8-bit, non-interlaced PNG. */
function decodePng(png: Buffer) {
  let at = 8;
  let width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') [width, height, colorType] = [data.readUInt32BE(0), data.readUInt32BE(4), data[9]!];
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  // Undo the per-row filters (PNG spec §9) so pixels can be counted.
  const stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][filter]!;
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, px };
}

describe('the progress chart', () => {
  const chart = renderProgressChart(view);

  it('is a PNG of sensible size with real content', () => {
    expect(chart.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { width, height, channels, px } = decodePng(chart.png);
    expect([width, height]).toEqual([chart.width * 2, chart.height * 2]);
    expect(width).toBe(1600);
    expect(height).toBeGreaterThan(400);
    expect(height).toBeLessThan(1200);
    // Count dark pixels (text) and strongly colored ones (bars): both must be there.
    let dark = 0, red = 0, green = 0;
    for (let i = 0; i < px.length; i += channels) {
      const [r, g, b] = [px[i]!, px[i + 1]!, px[i + 2]!];
      if (r < 80 && g < 80 && b < 80) dark++;
      if (r > 200 && g < 100 && b < 100) red++;
      if (g > 150 && r < 100 && b < 140) green++;
    }
    expect(dark).toBeGreaterThan(2000); // the text is drawn, so the font loaded
    expect(red).toBeGreaterThan(5000);
    expect(green).toBeGreaterThan(5000);
  });

  it('names every competency and its score in the SVG', () => {
    for (const c of view.competencies) expect(chart.svg).toContain(`>${c.competency}<`);
    expect(chart.svg).toContain('>52<');
    expect(chart.svg).toContain('>+28<');
    expect(chart.svg).toContain('17 graded answers');
    expect(chart.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="800"/);
  });

  it('escapes labels and draws without a trend', () => {
    const c = renderProgressChart({ competencies: [{ competency: 'a<b & "c"', average: 10, answered: 1 }] });
    expect(c.svg).toContain('a&lt;b &amp; &quot;c&quot;');
    expect(c.svg).not.toContain('Trend');
    expect(c.png.length).toBeGreaterThan(1000);
  });

  it('says so when nothing is graded yet', () => {
    const c = renderProgressChart({ competencies: [] });
    expect(c.svg).toContain('No graded answers yet');
    expect(decodePng(c.png).height).toBe(360);
  });
});
