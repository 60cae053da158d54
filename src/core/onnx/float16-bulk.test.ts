/**
 * The bulk float32→float16 converter must agree bit for bit with the scalar reference
 * (numberToFloat16) everywhere: normals, subnormals, ties, the overflow boundary, Inf and NaN.
 */
import { describe, expect, it } from 'vitest';
import { float32BitsToFloat16, numberToFloat16 } from './float-formats.js';
import { seededRandom } from '../util/seeded-random.js';

function bothWays(values: Float32Array): { bulk: Uint16Array; scalar: Uint16Array } {
  const bulk = new Uint16Array(values.length);
  float32BitsToFloat16(new Uint32Array(values.buffer), bulk);
  const scalar = Uint16Array.from(values, (v) => numberToFloat16(v));
  return { bulk, scalar };
}

describe('float32BitsToFloat16', () => {
  it('matches numberToFloat16 on edge values', () => {
    const edges = [0, -0, 1, -1, 65504, 65519.99, 65520, 65536, 1e6, -1e6, Infinity, -Infinity, NaN, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 1e-10, 6.1e-5, 1.00048828125, 1.000732421875, 2049, 2051];
    const { bulk, scalar } = bothWays(Float32Array.from(edges));
    expect([...bulk]).toEqual([...scalar]);
  });

  it('matches numberToFloat16 on every float32 exponent, ties included', () => {
    const random = seededRandom(3);
    const bits = new Uint32Array(200_000);
    for (let i = 0; i < bits.length; i++) {
      const exp = Math.floor(random() * 256);
      // Every 4th mantissa is a float16 tie (low 13 bits 0x1000) to exercise round-to-even.
      const man = i % 4 === 0 ? (Math.floor(random() * 1024) << 13) | 0x1000 : Math.floor(random() * 0x800000);
      bits[i] = ((i & 1) << 31) | (exp << 23) | man;
    }
    const { bulk, scalar } = bothWays(new Float32Array(bits.buffer));
    let mismatches = 0;
    for (let i = 0; i < bulk.length; i++) if (bulk[i] !== scalar[i]) mismatches++;
    expect(mismatches).toBe(0);
  });
});
