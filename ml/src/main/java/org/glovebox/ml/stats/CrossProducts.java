package org.glovebox.ml.stats;

import java.util.List;
import java.util.Map;

/**
 * Pairwise sums of named columns, decrypted ({@link CrossProductDecryptor}) or computed in clear
 * ({@link PlainCrossProducts}, the twin), and the statistics finished from them by the key holder: covariance and
 * correlation matrices, per-group counts and means, 2x2 contingency tables and Pearson's chi-square. Divisions and
 * square roots happen here, after decryption.
 */
public final class CrossProducts {
    private final List<String> names;
    private final Map<Long, PairSums> sums;

    CrossProducts(List<String> names, Map<Long, PairSums> sums) {
        this.names = List.copyOf(names);
        this.sums = Map.copyOf(sums);
    }

    static long key(int a, int b) {
        return ((long) a << 32) | b;
    }

    public List<String> names() {
        return names;
    }

    public int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column named " + name);
        }
        return i;
    }

    /** The sums of (a, b), in that orientation. */
    public PairSums pair(int a, int b) {
        PairSums s = sums.get(key(Math.min(a, b), Math.max(a, b)));
        if (s == null) {
            throw new IllegalArgumentException("pair (" + names.get(a) + ", " + names.get(b) + ") was not computed");
        }
        return a <= b ? s : new PairSums(s.n(), s.sumB(), s.sumA(), s.sumAB(), s.sumBB(), s.sumAA());
    }

    public PairSums pair(String a, String b) {
        return pair(index(a), index(b));
    }

    public double covariance(String a, String b) {
        return pair(a, b).covariance();
    }

    public double correlation(String a, String b) {
        return pair(a, b).correlation();
    }

    /** Pairwise-complete sample covariance matrix, in column order. */
    public double[][] covarianceMatrix() {
        int d = names.size();
        double[][] m = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                m[a][b] = pair(a, b).covariance();
            }
        }
        return m;
    }

    /** Pairwise-complete Pearson correlation matrix (1 on the diagonal for non-constant columns). */
    public double[][] correlationMatrix() {
        int d = names.size();
        double[][] m = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                m[a][b] = pair(a, b).correlation();
            }
        }
        return m;
    }

    /**
     * Count and mean of {@code value} within the group whose one-hot indicator column is {@code indicator}
     * (1 in the group, 0 outside; rows where either is missing are excluded).
     *
     * @return {count, mean}
     */
    public double[] groupCountAndMean(String indicator, String value) {
        PairSums s = pair(indicator, value);
        // Σ g·m_v over jointly present rows is sumA (g is 0/1); Σ g·x_v is sumAB.
        long count = Math.round(s.sumA());
        return new double[] {count, count > 0 ? s.sumAB() / count : Double.NaN};
    }

    /** The 2x2 table of two 0/1 columns over their jointly present rows: {{n11, n10}, {n01, n00}}. */
    public long[][] contingency(String a, String b) {
        PairSums s = pair(a, b);
        long n11 = Math.round(s.sumAB());
        long n1x = Math.round(s.sumA());
        long nx1 = Math.round(s.sumB());
        long n = s.n();
        return new long[][] {{n11, n1x - n11}, {nx1 - n11, n - n1x - nx1 + n11}};
    }

    /** Pearson's chi-square statistic of a 2x2 table (1 degree of freedom, no continuity correction). */
    public static double chiSquare(long[][] t) {
        double n = t[0][0] + t[0][1] + t[1][0] + t[1][1];
        double r0 = t[0][0] + t[0][1];
        double r1 = t[1][0] + t[1][1];
        double c0 = t[0][0] + t[1][0];
        double c1 = t[0][1] + t[1][1];
        if (r0 == 0 || r1 == 0 || c0 == 0 || c1 == 0) {
            return Double.NaN;
        }
        double det = (double) t[0][0] * t[1][1] - (double) t[0][1] * t[1][0];
        return n * det * det / (r0 * r1 * c0 * c1);
    }

    /** The p-value of a chi-square statistic with one degree of freedom: erfc(sqrt(x/2)). */
    public static double chiSquarePValue(double x) {
        return x < 0 || Double.isNaN(x) ? Double.NaN : erfc(Math.sqrt(x / 2));
    }

    /** Complementary error function (Numerical Recipes erfcc, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
