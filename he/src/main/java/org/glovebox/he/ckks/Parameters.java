package org.glovebox.he.ckks;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.math.Primes;
import org.glovebox.he.ring.RnsBasis;

/**
 * Immutable, validated CKKS parameters: ring degree N = 2^logN, the ciphertext modulus chain q_0 … q_L (level l uses
 * q_0 … q_l), the special primes p_0 … p_{k-1} of hybrid key switching, the default scale and the secret
 * distribution.
 *
 * <p>Validation guarantees distinct NTT-friendly primes of at most 61 bits and 128-bit security by the
 * {@link SecurityStandard} table: a set above the bound, below N = 2^12, or with a sparse secret is refused unless it
 * was built with {@link Builder#insecureForTestingOnly()}, which tests use for small fast rings. (N = 2^12, bound 109
 * bits, still holds one 60-bit chain prime and a 49-bit special prime: enough for computations without
 * multiplications such as encrypted aggregation; N = 2^11 and below hold no useful modulus.)
 *
 * <p>Hybrid key switching splits the chain into digits of consecutive primes whose product stays below the special
 * modulus P (see {@link #digitCount}).
 */
public final class Parameters {
    private final int logN;
    private final long[] q;
    private final long[] p;
    private final double defaultScale;
    private final int secretHammingWeight;
    private final double sigma;
    private final boolean insecure;
    private final RnsBasis ringQ;
    private final RnsBasis ringP;
    private final byte[] fingerprint;
    /** digitStarts[d] = index of the first chain prime of key-switching digit d; last entry = L + 1. */
    private final int[] digitStarts;

    private Parameters(Builder b, long[] q, long[] p) {
        this.logN = b.logN;
        this.q = q;
        this.p = p;
        this.defaultScale = b.defaultScale;
        this.secretHammingWeight = b.secretHammingWeight;
        this.sigma = b.sigma;
        this.insecure = b.insecure;
        int n = 1 << logN;
        this.ringQ = new RnsBasis(n, q);
        this.ringP = new RnsBasis(n, p);
        this.fingerprint = computeFingerprint();
        this.digitStarts = partitionDigits(q, p);
    }

    /**
     * Groups consecutive chain primes into key-switching digits whose product stays below P (greedily), so the
     * key-switching noise, about max(digit)/P times the key error, stays below the key error itself.
     */
    private static int[] partitionDigits(long[] q, long[] p) {
        double logP = 0;
        for (long v : p) {
            logP += Math.log(v) / Math.log(2);
        }
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        double current = 0;
        for (int i = 0; i < q.length; i++) {
            double bits = Math.log(q[i]) / Math.log(2);
            if (starts.isEmpty() || current + bits > logP) {
                starts.add(i);
                current = 0;
            }
            current += bits;
        }
        starts.add(q.length);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int logN() {
        return logN;
    }

    /** Ring degree N. */
    public int n() {
        return 1 << logN;
    }

    /** Maximum number of complex slots, N/2. */
    public int maxSlots() {
        return 1 << (logN - 1);
    }

    /** Highest level L (a fresh ciphertext's level); level l has l + 1 primes. */
    public int maxLevel() {
        return q.length - 1;
    }

    public long q(int i) {
        return q[i];
    }

    public long[] qPrimes() {
        return q.clone();
    }

    public long[] pPrimes() {
        return p.clone();
    }

    /** Number of special primes. */
    public int specialPrimeCount() {
        return p.length;
    }

    /** Number of key-switching digits (the decomposition number dnum) for a ciphertext at the given level. */
    public int digitCount(int level) {
        int d = 0;
        while (d + 1 < digitStarts.length && digitStarts[d] <= level) {
            d++;
        }
        return d;
    }

    /** Index of the first chain prime of key-switching digit d. */
    public int digitStart(int d) {
        return digitStarts[d];
    }

    /** One past the last chain prime of digit d at the given level. */
    public int digitEnd(int d, int level) {
        return Math.min(digitStarts[d + 1], level + 1);
    }

    public double defaultScale() {
        return defaultScale;
    }

    /** 0 for a uniform ternary secret, otherwise the exact number of non-zero secret coefficients. */
    public int secretHammingWeight() {
        return secretHammingWeight;
    }

    public double sigma() {
        return sigma;
    }

    /** True if this set was built with the insecure test switch and must never protect real data. */
    public boolean isInsecure() {
        return insecure;
    }

    public RnsBasis ringQ() {
        return ringQ;
    }

    public RnsBasis ringP() {
        return ringP;
    }

    /** log2 of the chain modulus Q = q_0 ⋯ q_L. */
    public double logQ() {
        double s = 0;
        for (long v : q) {
            s += Math.log(v) / Math.log(2);
        }
        return s;
    }

    /** log2(Q·P), the figure the security bound constrains. */
    public double logQP() {
        double s = logQ();
        for (long v : p) {
            s += Math.log(v) / Math.log(2);
        }
        return s;
    }

    /** SHA-256 over the canonical description; written into every serialized object to refuse mixing sets. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** True if both sets describe the same ring, primes, scale and secret distribution. */
    public boolean sameAs(Parameters other) {
        return other != null && Arrays.equals(fingerprint, other.fingerprint);
    }

    private byte[] computeFingerprint() {
        ByteBuffer buf = ByteBuffer.allocate(64 + 8 * (q.length + p.length));
        buf.put("glovebox-ckks-params-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buf.putInt(logN).putInt(q.length).putInt(p.length);
        for (long v : q) {
            buf.putLong(v);
        }
        for (long v : p) {
            buf.putLong(v);
        }
        buf.putDouble(defaultScale).putInt(secretHammingWeight).putDouble(sigma).put((byte) (insecure ? 1 : 0));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(buf.array(), 0, buf.position());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters other && sameAs(other);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return String.format(
                "CKKS(N=2^%d, L=%d, logQP=%.1f, k=%d, dnum=%d, scale=2^%.1f%s%s)",
                logN,
                maxLevel(),
                logQP(),
                p.length,
                digitStarts.length - 1,
                Math.log(defaultScale) / Math.log(2),
                secretHammingWeight > 0 ? ", h=" + secretHammingWeight : "",
                insecure ? ", INSECURE-TEST-ONLY" : "");
    }

    /** Builds and validates {@link Parameters}. Primes are given explicitly or generated from bit sizes. */
    public static final class Builder {
        private int logN;
        private long[] q;
        private long[] p;
        private int[] qBits;
        private int[] pBits;
        private double defaultScale;
        private int secretHammingWeight;
        private double sigma = 3.2;
        private boolean insecure;

        private Builder() {
        }

        public Builder logN(int logN) {
            this.logN = logN;
            return this;
        }

        /** Chain primes q_0 … q_L and special primes p_0 … p_{k-1}. */
        public Builder primes(long[] q, long[] p) {
            this.q = q.clone();
            this.p = p.clone();
            return this;
        }

        /** Generates primes of these bit sizes (q_0 first); see {@link Primes#nttPrimes}. */
        public Builder primeBits(int[] qBits, int[] pBits) {
            this.qBits = qBits.clone();
            this.pBits = pBits.clone();
            return this;
        }

        public Builder defaultScale(double scale) {
            this.defaultScale = scale;
            return this;
        }

        /** Default scale 2^logScale. */
        public Builder logScale(int logScale) {
            this.defaultScale = Math.scalb(1.0, logScale);
            return this;
        }

        /** A ternary secret with exactly h non-zero coefficients (not covered by the HE standard: insecure only). */
        public Builder secretHammingWeight(int h) {
            this.secretHammingWeight = h;
            return this;
        }

        public Builder sigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /**
         * Lifts the 128-bit security requirement. Only for tests with small fast rings: the resulting parameters
         * report {@link Parameters#isInsecure()} and print as INSECURE-TEST-ONLY.
         */
        public Builder insecureForTestingOnly() {
            this.insecure = true;
            return this;
        }

        public Parameters build() {
            if (logN < 2 || logN > 17) {
                throw new IllegalArgumentException("logN must be in [2, 17], got " + logN);
            }
            int n = 1 << logN;
            long[] qs = q;
            long[] ps = p;
            if (qs == null) {
                if (qBits == null) {
                    throw new IllegalArgumentException("give either primes or prime bit sizes");
                }
                qs = new long[qBits.length];
                ps = new long[pBits.length];
                Set<Long> used = new HashSet<>();
                fill(qBits, qs, n, used);
                fill(pBits, ps, n, used);
            }
            if (qs.length == 0) {
                throw new IllegalArgumentException("the modulus chain needs at least one prime");
            }
            if (ps.length == 0) {
                throw new IllegalArgumentException("key switching needs at least one special prime");
            }
            Set<Long> seen = new HashSet<>();
            for (long v : concat(qs, ps)) {
                if (v < 2 || 64 - Long.numberOfLeadingZeros(v) > Modulus.MAX_BITS) {
                    throw new IllegalArgumentException("prime " + v + " is outside [2, 2^61)");
                }
                if ((v - 1) % (2L * n) != 0) {
                    throw new IllegalArgumentException("prime " + v + " is not 1 mod 2N = " + (2L * n));
                }
                if (!Primes.isPrime(v)) {
                    throw new IllegalArgumentException(v + " is not prime");
                }
                if (!seen.add(v)) {
                    throw new IllegalArgumentException("prime " + v + " appears twice");
                }
            }
            if (!(defaultScale >= 2) || Double.isInfinite(defaultScale)) {
                throw new IllegalArgumentException("default scale must be a finite value >= 2, got " + defaultScale);
            }
            if (!(sigma > 0) || sigma > 1 << 20) {
                throw new IllegalArgumentException("sigma must be positive, got " + sigma);
            }
            if (secretHammingWeight < 0 || secretHammingWeight > n) {
                throw new IllegalArgumentException("Hamming weight must be in [0, N], got " + secretHammingWeight);
            }
            if (!insecure) {
                requireSecure(n, qs, ps);
            }
            return new Parameters(this, qs, ps);
        }

        private void requireSecure(int n, long[] qs, long[] ps) {
            int bound = SecurityStandard.maxLogQP128(logN);
            double logQP = 0;
            for (long v : concat(qs, ps)) {
                logQP += Math.log(v) / Math.log(2);
            }
            if (bound == 0 || logN < 12) {
                throw new IllegalArgumentException("N = " + n + " cannot give 128-bit security with useful moduli;"
                        + " use N >= 2^12 (or Builder.insecureForTestingOnly() in tests)");
            }
            if (logQP > bound) {
                throw new IllegalArgumentException(String.format(
                        "log2(QP) = %.1f exceeds the HE-standard 128-bit bound of %d bits for N = 2^%d"
                                + " (use fewer or smaller primes, or a larger N)",
                        logQP, bound, logN));
            }
            if (secretHammingWeight != 0) {
                throw new IllegalArgumentException("sparse secrets (Hamming weight " + secretHammingWeight
                        + ") are not covered by the HE-standard table; only insecureForTestingOnly() allows them");
            }
            if (sigma < 3.2) {
                throw new IllegalArgumentException("sigma below 3.2 is not covered by the HE-standard table");
            }
        }

        private static void fill(int[] bits, long[] out, int n, Set<Long> used) {
            int i = 0;
            while (i < bits.length) {
                int b = bits[i];
                int run = 0;
                while (i + run < bits.length && bits[i + run] == b) {
                    run++;
                }
                var primes = Primes.nttPrimes(b, run, n, used);
                for (long v : primes) {
                    out[i++] = v;
                    used.add(v);
                }
            }
        }

        private static long[] concat(long[] a, long[] b) {
            long[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }
    }
}
