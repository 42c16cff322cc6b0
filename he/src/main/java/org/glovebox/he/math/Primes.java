package org.glovebox.he.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Generation of NTT-friendly primes (q = 1 mod 2N) and of primitive roots of unity.
 *
 * <p>Generation is deterministic: the same request always yields the same primes, so parameter sets built from bit
 * sizes are reproducible across machines and releases.
 */
public final class Primes {
    private static final long[] WITNESSES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

    private Primes() {
    }

    /** Deterministic Miller–Rabin primality test, exact for every n &lt; 2^64 that fits {@link Modulus}. */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long p : WITNESSES) {
            if (n % p == 0) {
                return n == p;
            }
        }
        Modulus m = new Modulus(n);
        long d = n - 1;
        int s = Long.numberOfTrailingZeros(d);
        d >>>= s;
        for (long a : WITNESSES) {
            long x = m.pow(a, d);
            if (x == 1 || x == n - 1) {
                continue;
            }
            boolean composite = true;
            for (int r = 1; r < s; r++) {
                x = m.mul(x, x);
                if (x == n - 1) {
                    composite = false;
                    break;
                }
            }
            if (composite) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code count} distinct primes q = 1 mod 2N of exactly {@code bits} bits, the largest first, skipping any
     * in {@code exclude}. Primes just below 2^bits keep CKKS scales close to their nominal value after rescaling.
     */
    public static List<Long> nttPrimes(int bits, int count, int ringDegree, Set<Long> exclude) {
        if (bits < 10 || bits > Modulus.MAX_BITS) {
            throw new IllegalArgumentException("prime size must be 10.." + Modulus.MAX_BITS + " bits, got " + bits);
        }
        long m = 2L * ringDegree;
        List<Long> out = new ArrayList<>();
        for (long c = (1L << bits) + 1 - m; out.size() < count; c -= m) {
            if (c <= (1L << (bits - 1))) {
                throw new IllegalArgumentException("not enough " + bits + "-bit primes = 1 mod " + m);
            }
            if (!exclude.contains(c) && isPrime(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The smallest-generator primitive 2N-th root of unity modulo the prime q (requires q = 1 mod 2N). */
    public static long primitiveRoot2N(Modulus q, int ringDegree) {
        long m = 2L * ringDegree;
        long qv = q.value();
        if ((qv - 1) % m != 0) {
            throw new IllegalArgumentException(qv + " is not 1 mod " + m);
        }
        long exp = (qv - 1) / m;
        for (long g = 2; g < qv; g++) {
            long psi = q.pow(g, exp);
            if (q.pow(psi, ringDegree) == qv - 1) {
                return psi;
            }
        }
        throw new IllegalStateException("no primitive root found modulo " + qv);
    }
}
