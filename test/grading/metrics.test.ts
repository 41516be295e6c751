import { describe, expect, it } from 'vitest';
import { macroF1, mae, pearson, quadraticWeightedKappa, ranks, spearman } from '../../src/grading/metrics.js';

describe('metrics (values worked out by hand)', () => {
  it('pearson', () => {
    // x = 1,2,3,4 (mean 2.5), y = 2,4,5,9 (mean 5)
    // dx = -1.5,-0.5,0.5,1.5 ; dy = -3,-1,0,4
    // Σdxdy = 4.5+0.5+0+6 = 11 ; Σdx² = 2.25+0.25+0.25+2.25 = 5 ; Σdy² = 9+1+0+16 = 26
    // r = 11 / sqrt(5·26) = 11 / sqrt(130) = 0.964764...
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(11 / Math.sqrt(130), 10);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('spearman with average ranks for ties', () => {
    // x = 10,20,20,30 -> ranks 1,2.5,2.5,4 ; y = 1,3,2,4 -> ranks 1,3,2,4
    // rx mean 2.5: d = -1.5,0,0,1.5 ; ry mean 2.5: d = -1.5,0.5,-0.5,1.5
    // Σ = 2.25+0+0+2.25 = 4.5 ; Σrx² = 4.5 ; Σry² = 2.25+0.25+0.25+2.25 = 5
    // rho = 4.5 / sqrt(4.5·5) = 4.5 / sqrt(22.5) = 0.948683...
    expect(ranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([10, 20, 20, 30], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 10);
  });

  it('mae', () => {
    // |0.5-1| + |0.2-0| + |1-1| = 0.5 + 0.2 + 0 = 0.7 ; / 3 = 0.2333...
    expect(mae([0.5, 0.2, 1], [1, 0, 1])).toBeCloseTo(0.7 / 3, 12);
  });

  it('quadratic weighted kappa', () => {
    // Scale 0..2 (k = 3, weights (i-j)²/4: 0, .25, 1).
    // a = 0,1,2,2 ; b = 0,1,1,2 -> O: (0,0)=1 (1,1)=1 (2,1)=1 (2,2)=1
    // Σ w·O = 0.25 (only the (2,1) cell disagrees)
    // hist a = [1,1,2], hist b = [1,2,1], n = 4, E_ij = ha_i·hb_j / 4
    // Σ w·E = [ (0,1) .25·1·2 + (0,2) 1·1·1 + (1,0) .25·1·1 + (1,2) .25·1·1
    //          + (2,0) 1·2·1 + (2,1) .25·2·2 ] / 4 = (.5+1+.25+.25+2+1)/4 = 5/4 = 1.25
    // kappa = 1 - 0.25/1.25 = 0.8
    expect(quadraticWeightedKappa([0, 1, 2, 2], [0, 1, 1, 2], 0, 2)).toBeCloseTo(0.8, 12);
    expect(quadraticWeightedKappa([0, 1, 2], [0, 1, 2], 0, 2)).toBeCloseTo(1, 12);
  });

  it('macro F1 for binary labels', () => {
    // truth T,T,T,F,F ; pred T,T,F,T,F
    // class T: tp=2 fp=1 fn=1 -> F1 = 4/(4+1+1) = 2/3
    // class F: tp=1 fp=1 fn=1 -> F1 = 2/(2+1+1) = 1/2
    // macro = (2/3 + 1/2) / 2 = 7/12 = 0.58333...
    expect(macroF1([true, true, true, false, false], [true, true, false, true, false])).toBeCloseTo(7 / 12, 12);
  });
});
