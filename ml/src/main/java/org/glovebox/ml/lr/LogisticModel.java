package org.glovebox.ml.lr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glovebox.ml.io.CsvLines;

/**
 * A logistic-regression model in the original feature units: logit p = intercept + Σ coefficient_j·x_j.
 * Its text form is CSV with the header {@code term,coefficient}, the intercept first, then one row per feature in
 * column order — what {@code glovebox decrypt} prints for a trained model and what {@code glovebox score} reads as a
 * plaintext model.
 */
public final class LogisticModel {
    /** Upper bound on features when reading a model file. */
    public static final int MAX_FEATURES = 4096;
    static final String HEADER = "term,coefficient";
    static final String INTERCEPT = "intercept";

    private final List<String> names;
    private final double[] weights;

    private LogisticModel(List<String> names, double[] weights) {
        if (weights.length != names.size() + 1) {
            throw new IllegalArgumentException("need an intercept and one coefficient per feature");
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("model weights must be finite");
            }
        }
        this.names = List.copyOf(names);
        this.weights = weights.clone();
    }

    /** @param weights intercept first, then one coefficient per name */
    public static LogisticModel of(List<String> names, double[] weights) {
        return new LogisticModel(names, weights);
    }

    public List<String> names() {
        return names;
    }

    public int features() {
        return names.size();
    }

    public double intercept() {
        return weights[0];
    }

    public double coefficient(int j) {
        return weights[j + 1];
    }

    /** Intercept first, then the coefficients. */
    public double[] weights() {
        return weights.clone();
    }

    public double logit(double[] x) {
        if (x.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " features, got " + x.length);
        }
        double z = weights[0];
        for (int j = 0; j < x.length; j++) {
            z += weights[j + 1] * x[j];
        }
        return z;
    }

    public double probability(double[] x) {
        return 1 / (1 + Math.exp(-logit(x)));
    }

    /** The CSV form (header, intercept row, one row per feature). */
    public String toCsv() {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append(INTERCEPT).append(',').append(format(weights[0])).append('\n');
        for (int j = 0; j < names.size(); j++) {
            s.append(CsvLines.field(names.get(j))).append(',').append(format(weights[j + 1])).append('\n');
        }
        return s.toString();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.10g", v);
    }

    /** Reads the CSV form; refuses anything else with a message naming the line. */
    public static LogisticModel readCsv(Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String header = CsvLines.readLine(in, 1);
        if (header == null || !header.strip().equals(HEADER)) {
            throw new IOException("line 1: expected the header '" + HEADER + "'");
        }
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int lineNo = 1;
        String line;
        while ((line = CsvLines.readLine(in, lineNo + 1)) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> f = CsvLines.split(line, lineNo);
            if (f.size() != 2) {
                throw new IOException("line " + lineNo + ": expected 'term,coefficient'");
            }
            double v;
            try {
                v = Double.parseDouble(f.get(1).strip());
            } catch (NumberFormatException e) {
                throw new IOException("line " + lineNo + ": coefficient is not a number");
            }
            if (!Double.isFinite(v)) {
                throw new IOException("line " + lineNo + ": coefficient is not finite");
            }
            if (values.isEmpty()) {
                if (!f.get(0).strip().equals(INTERCEPT)) {
                    throw new IOException("line " + lineNo + ": the first term must be '" + INTERCEPT + "'");
                }
            } else {
                String name = f.get(0).strip();
                if (name.isEmpty() || name.equals(INTERCEPT) || names.contains(name)) {
                    throw new IOException("line " + lineNo + ": feature name empty, 'intercept' or repeated");
                }
                names.add(name);
            }
            values.add(v);
            if (values.size() > MAX_FEATURES + 1) {
                throw new IOException("more than " + MAX_FEATURES + " features");
            }
        }
        if (values.isEmpty()) {
            throw new IOException("the model has no intercept");
        }
        return new LogisticModel(names, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public String toString() {
        return "LogisticModel[" + names.size() + " features]";
    }
}
