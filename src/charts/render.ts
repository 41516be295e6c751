import { Resvg } from '@resvg/resvg-js';
import { fileURLToPath } from 'node:url';

/**
 * SVG → PNG, offline. Text is set in Inter (SIL OFL, fonts/OFL.txt), shipped with the code, so
 * the picture is the same on a machine with no fonts installed; system fonts are never read.
 */
const FONTS_DIR = fileURLToPath(new URL('../../src/charts/fonts/', import.meta.url));
export const FONT_FILES = [`${FONTS_DIR}inter-latin-400.ttf`, `${FONTS_DIR}inter-latin-600.ttf`];
export const FONT_FAMILY = 'Inter';

/** Renders at `scale` times the SVG's size, so the PNG stays sharp on high-density screens. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}
