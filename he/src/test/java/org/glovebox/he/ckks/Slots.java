package org.glovebox.he.ckks;

import java.util.SplittableRandom;

/** Plaintext (float64) twins of the slot operations, and precision measurement over real and imaginary parts. */
final class Slots {
    private Slots() {
    }

    static double[] random(int n, long seed) {
        return TestSupport.randomValues(n, seed);
    }

    /** Uniform in [lo, hi]. */
    static double[] random(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(lo, hi);
        }
        return v;
    }

    static double[] zeros(int n) {
        return new double[n];
    }

    /** Left rotation: out[j] = v[j + k mod n]. */
    static double[] rotate(double[] v, int k) {
        int n = v.length;
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = v[Math.floorMod(i + k, n)];
        }
        return r;
    }

    static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }

    static double[] sub(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    static double[] mul(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * b[i];
        }
        return r;
    }

    static double[] scale(double[] a, double c) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * c;
        }
        return r;
    }

    static double[] plus(double[] a, double c) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] + c;
        }
        return r;
    }

    /** slot j = sum_{i < count} v[j + i·batch mod n]. */
    static double[] innerSum(double[] v, int batch, int count) {
        int n = v.length;
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < count; i++) {
                s += v[(int) Math.floorMod(j + (long) i * batch, n)];
            }
            r[j] = s;
        }
        return r;
    }

    /** -log2 of the largest absolute error over the real and imaginary parts of every slot. */
    static double bits(double[] expRe, double[] expIm, double[][] actual) {
        double max = 0;
        for (int i = 0; i < expRe.length; i++) {
            max = Math.max(max, Math.abs(expRe[i] - actual[0][i]));
            double ei = expIm == null ? 0 : expIm[i];
            max = Math.max(max, Math.abs(ei - actual[1][i]));
        }
        return max == 0 ? 64 : -Math.log(max) / Math.log(2);
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
