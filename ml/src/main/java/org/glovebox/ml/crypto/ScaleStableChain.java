package org.glovebox.ml.crypto;

import java.util.HashSet;
import java.util.Set;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.math.Primes;

/**
 * Builds modulus chains whose canonical scales ({@link LevelScales}) stay at the nominal scale: going down from the
 * top, each chain prime q_l is the NTT-friendly prime (q = 1 mod 2N) nearest to the current scale S_l, so
 * S_{l-1} = S_l^2 / q_l moves by at most the prime gap (about 2^-19 relative for 40-bit primes at N = 2^16) instead of
 * doubling its error at every level, as it would with primes taken in order below 2^40. q_0 and the special primes are
 * the largest NTT primes of their bit sizes.
 *
 * <p>Deterministic: the same arguments always give the same primes.
 */
public final class ScaleStableChain {
    private ScaleStableChain() {
    }

    /**
     * The chain primes q_0 … q_L for ring degree 2^logN: q_0 of {@code baseBits} bits, then {@code levels} primes
     * near the scale 2^logScale.
     */
    public static long[] chainPrimes(int logN, int baseBits, int logScale, int levels) {
        long twoN = 2L << logN;
        Set<Long> used = new HashSet<>();
        long[] q = new long[levels + 1];
        q[0] = Primes.nttPrimes(baseBits, 1, 1 << logN, used).get(0);
        used.add(q[0]);
        double scale = Math.scalb(1.0, logScale);
        for (int l = levels; l >= 1; l--) {
            q[l] = nearestNttPrime(scale, twoN, used);
            used.add(q[l]);
            scale = scale * scale / (double) q[l];
        }
        return q;
    }

    /** {@code count} special primes of {@code bits} bits, the largest ones not in {@code chain}. */
    public static long[] specialPrimes(int logN, int bits, int count, long[] chain) {
        Set<Long> used = new HashSet<>();
        for (long v : chain) {
            used.add(v);
        }
        return Primes.nttPrimes(bits, count, 1 << logN, used).stream().mapToLong(Long::longValue).toArray();
    }

    /** Parameters with a scale-stable chain (validated by the library; secure unless {@code insecure}). */
    public static Parameters parameters(int logN, int baseBits, int logScale, int levels, int specialBits,
            int specialCount, boolean insecure) {
        long[] q = chainPrimes(logN, baseBits, logScale, levels);
        long[] p = specialPrimes(logN, specialBits, specialCount, q);
        Parameters.Builder b = Parameters.builder().logN(logN).primes(q, p).logScale(logScale);
        if (insecure) {
            b.insecureForTestingOnly();
        }
        return b.build();
    }

    /** The prime q = 1 mod twoN nearest to {@code target}, skipping {@code used}. */
    static long nearestNttPrime(double target, long twoN, Set<Long> used) {
        long k = Math.round((target - 1) / twoN);
        for (long d = 0; d < 1L << 24; d++) {
            for (long cand : new long[] {k + d, k - d}) {
                long v = cand * twoN + 1;
                if (cand > 0 && !used.contains(v) && Primes.isPrime(v)) {
                    return v;
                }
                if (d == 0) {
                    break;
                }
            }
        }
        throw new IllegalStateException("no NTT prime near " + target);
    }
}
