package org.glovebox.ml.inference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.glovebox.ml.io.CsvLines;

/**
 * A small multilayer perceptron with one hidden layer and a polynomial activation, scoring in plaintext (this class)
 * and homomorphically ({@link Scorer}): logit = b_2 + Σ_u w2_u·act(b1_u + Σ_j W1_uj·x_j), act(t) = Σ_e a_e·t^e of
 * degree 2 or 3. Weights are in original feature units.
 *
 * <p>Text form (CSV lines): {@code glovebox-mlp,1}; {@code inputs,<name>,…}; {@code activation,a_0,a_1,a_2[,a_3]};
 * one {@code hidden,W1_u1,…,W1_ud,b1_u} per hidden unit; {@code output,w2_1,…,w2_H,b_2}.
 */
public final class Mlp {
    public static final int MAX_HIDDEN = 256;
    static final String MAGIC_LINE = "glovebox-mlp,1";

    private final List<String> names;
    private final double[][] w1;
    private final double[] b1;
    private final double[] activation;
    private final double[] w2;
    private final double b2;

    public Mlp(List<String> names, double[][] w1, double[] b1, double[] activation, double[] w2, double b2) {
        int h = w1.length;
        if (h < 1 || h > MAX_HIDDEN || b1.length != h || w2.length != h) {
            throw new IllegalArgumentException("hidden layer of 1.." + MAX_HIDDEN + " units with one bias and one"
                    + " output weight each");
        }
        if (activation.length < 3 || activation.length > 4) {
            throw new IllegalArgumentException("activation must have degree 2 or 3 (3 or 4 coefficients)");
        }
        for (double[] row : w1) {
            if (row.length != names.size()) {
                throw new IllegalArgumentException("every hidden unit needs one weight per input");
            }
            requireFinite(row);
        }
        requireFinite(b1);
        requireFinite(activation);
        requireFinite(w2);
        requireFinite(new double[] {b2});
        if (new HashSet<>(names).size() != names.size() || names.isEmpty()) {
            throw new IllegalArgumentException("input names must be unique and non-empty");
        }
        this.names = List.copyOf(names);
        this.w1 = new double[h][];
        for (int u = 0; u < h; u++) {
            this.w1[u] = w1[u].clone();
        }
        this.b1 = b1.clone();
        this.activation = activation.clone();
        this.w2 = w2.clone();
        this.b2 = b2;
    }

    private static void requireFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("weights must be finite");
            }
        }
    }

    /**
     * The degree-2 least-squares approximation of ReLU on [-r, r]: ReLU(t) = (t + |t|)/2 and |t| ≈ 3r/16 + 15t²/(16r)
     * (Legendre projection), so act(t) = 3r/32 + t/2 + 15t²/(32r).
     */
    public static double[] reluApproximation(double r) {
        return new double[] {3 * r / 32, 0.5, 15 / (32 * r)};
    }

    public List<String> names() {
        return names;
    }

    public int features() {
        return names.size();
    }

    public int hidden() {
        return w1.length;
    }

    public double weight1(int unit, int feature) {
        return w1[unit][feature];
    }

    public double bias1(int unit) {
        return b1[unit];
    }

    public double weight2(int unit) {
        return w2[unit];
    }

    public double bias2() {
        return b2;
    }

    /** a_0 … a_degree. */
    public double[] activation() {
        return activation.clone();
    }

    public int activationDegree() {
        return activation.length - 1;
    }

    double act(double t) {
        double r = 0;
        for (int e = activation.length - 1; e >= 0; e--) {
            r = r * t + activation[e];
        }
        return r;
    }

    /** The plaintext twin of the encrypted scoring. */
    public double logit(double[] x) {
        if (x.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " features");
        }
        double o = b2;
        for (int u = 0; u < w1.length; u++) {
            double h = b1[u];
            for (int j = 0; j < x.length; j++) {
                h += w1[u][j] * x[j];
            }
            o += w2[u] * act(h);
        }
        return o;
    }

    /**
     * Trains a small MLP in plaintext (full-batch gradient descent on the logistic loss, inputs standardized inside
     * and the standardization folded into the first layer, so the result takes original units). For tests, demos
     * and benchmarks of encrypted scoring; it is not encrypted training.
     */
    public static Mlp train(List<String> names, double[][] x, int[] y, int hidden, double[] activation, int epochs,
            double rate, long seed) {
        int n = x.length;
        int d = names.size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            for (double[] r : x) {
                mean[j] += r[j] / n;
            }
            for (double[] r : x) {
                sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
            }
            sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] w = new double[hidden][d];
        double[] b = new double[hidden];
        double[] v = new double[hidden];
        for (int u = 0; u < hidden; u++) {
            for (int j = 0; j < d; j++) {
                w[u][j] = rnd.nextGaussian() / Math.sqrt(d);
            }
            v[u] = rnd.nextGaussian() / Math.sqrt(hidden);
        }
        double c = 0;
        Mlp shape = new Mlp(names, w, b, activation, v, c);
        double[] z = new double[d];
        double[] h = new double[hidden];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[][] gw = new double[hidden][d];
            double[] gb = new double[hidden];
            double[] gv = new double[hidden];
            double gc = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[j] = (x[i][j] - mean[j]) / sd[j];
                }
                double o = c;
                for (int u = 0; u < hidden; u++) {
                    h[u] = b[u];
                    for (int j = 0; j < d; j++) {
                        h[u] += w[u][j] * z[j];
                    }
                    o += v[u] * shape.act(h[u]);
                }
                double err = 1 / (1 + Math.exp(-o)) - y[i];
                gc += err;
                for (int u = 0; u < hidden; u++) {
                    gv[u] += err * shape.act(h[u]);
                    double da = 0;
                    for (int e = activation.length - 1; e >= 1; e--) {
                        da = da * h[u] + e * activation[e];
                    }
                    double g = err * v[u] * da;
                    gb[u] += g;
                    for (int j = 0; j < d; j++) {
                        gw[u][j] += g * z[j];
                    }
                }
            }
            c -= rate * gc / n;
            for (int u = 0; u < hidden; u++) {
                v[u] -= rate * gv[u] / n;
                b[u] -= rate * gb[u] / n;
                for (int j = 0; j < d; j++) {
                    w[u][j] -= rate * gw[u][j] / n;
                }
            }
        }
        // Fold the standardization into the first layer.
        double[][] w1 = new double[hidden][d];
        double[] b1 = new double[hidden];
        for (int u = 0; u < hidden; u++) {
            b1[u] = b[u];
            for (int j = 0; j < d; j++) {
                w1[u][j] = w[u][j] / sd[j];
                b1[u] -= w[u][j] * mean[j] / sd[j];
            }
        }
        return new Mlp(names, w1, b1, activation, v, c);
    }

    /** The text form. */
    public String toText() {
        StringBuilder s = new StringBuilder(MAGIC_LINE).append('\n').append("inputs");
        for (String n : names) {
            s.append(',').append(CsvLines.field(n));
        }
        s.append('\n').append("activation");
        for (double a : activation) {
            s.append(',').append(fmt(a));
        }
        s.append('\n');
        for (int u = 0; u < w1.length; u++) {
            s.append("hidden");
            for (double v : w1[u]) {
                s.append(',').append(fmt(v));
            }
            s.append(',').append(fmt(b1[u])).append('\n');
        }
        s.append("output");
        for (double v : w2) {
            s.append(',').append(fmt(v));
        }
        s.append(',').append(fmt(b2)).append('\n');
        return s.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** Reads the text form; refuses anything else with a message naming the line. */
    public static Mlp readText(Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String first = CsvLines.readLine(in, 1);
        if (first == null || !first.strip().equals(MAGIC_LINE)) {
            throw new IOException("line 1: expected '" + MAGIC_LINE + "'");
        }
        List<String> names = null;
        double[] act = null;
        List<double[]> hidden = new ArrayList<>();
        double[] output = null;
        int lineNo = 1;
        String line;
        while ((line = CsvLines.readLine(in, lineNo + 1)) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> f = CsvLines.split(line, lineNo);
            String kind = f.get(0).strip();
            List<String> rest = f.subList(1, f.size());
            switch (kind) {
                case "inputs" -> {
                    if (names != null || rest.isEmpty() || rest.size() > 4096) {
                        throw new IOException("line " + lineNo + ": one 'inputs' line with 1..4096 names");
                    }
                    names = rest.stream().map(String::strip).toList();
                }
                case "activation" -> {
                    if (act != null) {
                        throw new IOException("line " + lineNo + ": repeated 'activation'");
                    }
                    act = numbers(rest, lineNo);
                }
                case "hidden" -> {
                    if (hidden.size() >= MAX_HIDDEN) {
                        throw new IOException("line " + lineNo + ": more than " + MAX_HIDDEN + " hidden units");
                    }
                    hidden.add(numbers(rest, lineNo));
                }
                case "output" -> {
                    if (output != null) {
                        throw new IOException("line " + lineNo + ": repeated 'output'");
                    }
                    output = numbers(rest, lineNo);
                }
                default -> throw new IOException("line " + lineNo + ": unknown line kind '" + kind + "'");
            }
        }
        if (names == null || act == null || hidden.isEmpty() || output == null) {
            throw new IOException("incomplete MLP: need inputs, activation, hidden and output lines");
        }
        int d = names.size();
        double[][] w1 = new double[hidden.size()][];
        double[] b1 = new double[hidden.size()];
        for (int u = 0; u < hidden.size(); u++) {
            double[] row = hidden.get(u);
            if (row.length != d + 1) {
                throw new IOException("hidden unit " + u + ": expected " + d + " weights and a bias");
            }
            w1[u] = java.util.Arrays.copyOf(row, d);
            b1[u] = row[d];
        }
        if (output.length != hidden.size() + 1) {
            throw new IOException("output: expected " + hidden.size() + " weights and a bias");
        }
        try {
            return new Mlp(names, w1, b1, act, java.util.Arrays.copyOf(output, hidden.size()),
                    output[hidden.size()]);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid MLP: " + e.getMessage());
        }
    }

    private static double[] numbers(List<String> fields, int lineNo) throws IOException {
        if (fields.size() > 4097) {
            throw new IOException("line " + lineNo + ": too many values");
        }
        double[] v = new double[fields.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(fields.get(i).strip());
            } catch (NumberFormatException e) {
                throw new IOException("line " + lineNo + ": '" + fields.get(i) + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new IOException("line " + lineNo + ": value is not finite");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return "Mlp[" + names.size() + " inputs, " + w1.length + " hidden, activation degree " + activationDegree()
                + "]";
    }
}
