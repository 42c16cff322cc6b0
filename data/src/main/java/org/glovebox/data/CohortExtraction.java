package org.glovebox.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.data.cohort.MissingValuePolicy;

/**
 * The eligible patients (or CSV records) of a cohort with their raw feature values, before missing values are handled.
 * Missing values are held as NaN here and never leave this object: {@link #build(ImputationMeans)} drops or imputes
 * them as the cohort's policies say and produces the {@link FeatureMatrix}.
 *
 * <p>The two steps are separate so that the means for the {@code mean} policy can come from outside: a hospital first
 * publishes its {@link #observedSums()} (under encryption, in the federated module), the study-wide means are
 * computed, and then each hospital builds its matrix with {@link ImputationMeans#of}.
 */
public final class CohortExtraction {

    private final CohortDefinition definition;
    private final IngestionStats ingestion;
    private final long seen;
    private final Map<String, Long> excluded;
    private final List<String> warnings;
    private final List<String> ids;
    private final double[] values;
    private final double[] labels;
    private final int width;

    private CohortExtraction(Builder b, IngestionStats ingestion, List<String> warnings) {
        this.definition = b.definition;
        this.ingestion = ingestion;
        this.seen = b.seen;
        this.excluded = new LinkedHashMap<>(b.excluded);
        this.warnings = List.copyOf(warnings);
        this.ids = List.copyOf(b.ids);
        this.width = b.width;
        this.values = Arrays.copyOf(b.values, b.ids.size() * width);
        this.labels = Arrays.copyOf(b.labels, b.ids.size());
    }

    /** The cohort this extraction follows. */
    public CohortDefinition definition() {
        return definition;
    }

    /** Number of eligible patients or records (before missing-value handling). */
    public int eligible() {
        return ids.size();
    }

    /** Input accounting. */
    public IngestionStats ingestion() {
        return ingestion;
    }

    /**
     * Sum and count of the observed values of every feature that uses the {@code mean} policy, over the rows that
     * survive the {@code drop} policies: this site's contribution to a study-wide mean.
     */
    public List<ObservedSum> observedSums() {
        boolean[] survives = survivorsOfDropPolicies(null);
        List<ObservedSum> out = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            FeatureDefinition f = definition.features().get(c);
            if (definition.policyFor(f) instanceof MissingValuePolicy.ImputeMean) {
                out.add(observedSum(c, survives));
            }
        }
        return out;
    }

    /** Builds the feature matrix with means computed from this site's own data. */
    public CohortResult build() {
        return build(ImputationMeans.local());
    }

    /** Builds the feature matrix, taking the means for the {@code mean} policy from {@code means}. */
    public CohortResult build(ImputationMeans means) {
        List<FeatureDefinition> features = definition.features();
        Map<String, Long> dropped = new LinkedHashMap<>(excluded);
        boolean[] survives = survivorsOfDropPolicies(dropped);
        double[] fill = new double[width];
        for (int c = 0; c < width; c++) {
            FeatureDefinition f = features.get(c);
            MissingValuePolicy policy = definition.policyFor(f);
            fill[c] = switch (policy) {
                case MissingValuePolicy.Drop d -> Double.NaN;
                case MissingValuePolicy.ImputeConstant k -> k.value();
                case MissingValuePolicy.ImputeMean m -> meanFor(f, c, survives, means);
            };
        }
        int kept = 0;
        for (boolean s : survives) {
            kept += s ? 1 : 0;
        }
        double[] out = new double[kept * width];
        double[] outLabels = new double[kept];
        List<String> outIds = new ArrayList<>(kept);
        long[] missing = new long[width];
        long[] imputed = new long[width];
        int r = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int c = 0; c < width; c++) {
                if (Double.isNaN(values[i * width + c])) {
                    missing[c]++;
                }
            }
            if (!survives[i]) {
                continue;
            }
            for (int c = 0; c < width; c++) {
                double v = values[i * width + c];
                if (Double.isNaN(v)) {
                    v = fill[c];
                    imputed[c]++;
                }
                out[r * width + c] = v;
            }
            outLabels[r] = labels[i];
            outIds.add(ids.get(i));
            r++;
        }
        List<FeatureReport> featureReports = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            FeatureDefinition f = features.get(c);
            String policy = f.canBeMissing() ? definition.policyFor(f).toString() : "never missing";
            featureReports.add(new FeatureReport(f.name(), f.kind(), f.unit(), policy, ids.size(), missing[c],
                    imputed[c], imputed[c] == 0 ? Double.NaN : fill[c]));
        }
        FeatureMatrix matrix = new FeatureMatrix(features.stream().map(FeatureDefinition::toColumn).toList(),
                definition.label().name(), out, outLabels, outIds);
        CohortReport report = new CohortReport(definition.name(), ingestion, seen, ids.size(), kept, dropped,
                featureReports, definition.label().name(), matrix.positives(), warnings);
        return new CohortResult(matrix, report);
    }

    private double meanFor(FeatureDefinition f, int column, boolean[] survives, ImputationMeans means) {
        if (!means.isLocal()) {
            return means.supplied(f.name()).orElseThrow(() -> new IllegalArgumentException(
                    "no supplied mean for feature '" + f.name() + "', which uses the mean missing-value policy"));
        }
        ObservedSum s = observedSum(column, survives);
        if (s.count() == 0) {
            boolean anyMissing = false;
            for (int i = 0; i < ids.size() && !anyMissing; i++) {
                anyMissing = survives[i] && Double.isNaN(values[i * width + column]);
            }
            if (anyMissing) {
                throw new DataInputException(SourceLocation.of("cohort " + definition.name()),
                        "cannot impute the mean of feature '" + f.name() + "': no patient has a value (wrong code or"
                                + " unit?)");
            }
        }
        return s.mean();
    }

    private ObservedSum observedSum(int column, boolean[] survives) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < ids.size(); i++) {
            double v = values[i * width + column];
            if (survives[i] && !Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        return new ObservedSum(definition.features().get(column).name(), sum, count);
    }

    /**
     * Marks rows that have a value for every {@code drop}-policy feature; counts each dropped row once, under the
     * first such feature (in column order) it lacks.
     */
    private boolean[] survivorsOfDropPolicies(Map<String, Long> dropped) {
        List<FeatureDefinition> features = definition.features();
        boolean[] dropColumn = new boolean[width];
        for (int c = 0; c < width; c++) {
            FeatureDefinition f = features.get(c);
            dropColumn[c] = f.canBeMissing() && definition.policyFor(f) instanceof MissingValuePolicy.Drop;
        }
        boolean[] survives = new boolean[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            survives[i] = true;
            for (int c = 0; c < width; c++) {
                if (dropColumn[c] && Double.isNaN(values[i * width + c])) {
                    survives[i] = false;
                    if (dropped != null) {
                        dropped.merge("missing " + features.get(c).name(), 1L, Long::sum);
                    }
                    break;
                }
            }
        }
        return survives;
    }

    @Override
    public String toString() {
        return "CohortExtraction[" + definition.name() + ": " + ids.size() + " eligible of " + seen + " seen]";
    }

    /** Collects eligible rows and exclusion counts while a reader walks the input. Not thread-safe. */
    public static final class Builder {
        private final CohortDefinition definition;
        private final int width;
        private final Map<String, Long> excluded = new LinkedHashMap<>();
        private final List<String> ids = new ArrayList<>();
        private double[] values = new double[1024];
        private double[] labels = new double[64];
        private long seen;

        public Builder(CohortDefinition definition) {
            this.definition = definition;
            this.width = definition.features().size();
        }

        /** Counts a patient or record that was left out before feature extraction, and why. */
        public void exclude(String reason) {
            seen++;
            excluded.merge(reason, 1L, Long::sum);
        }

        /**
         * Adds an eligible row.
         *
         * @param id     local identifier (patient id, line number)
         * @param row    one value per feature, NaN where missing (copied)
         * @param label  0 or 1
         */
        public void add(String id, double[] row, double label) {
            if (row.length != width) {
                throw new IllegalArgumentException("row has " + row.length + " values for " + width + " features");
            }
            if (label != 0.0 && label != 1.0) {
                throw new IllegalArgumentException("label must be 0 or 1");
            }
            seen++;
            int n = ids.size();
            if ((n + 1) * width > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, (n + 1) * width));
            }
            if (n + 1 > labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            System.arraycopy(row, 0, values, n * width, width);
            labels[n] = label;
            ids.add(id);
        }

        /** The finished extraction. */
        public CohortExtraction build(IngestionStats ingestion, List<String> warnings) {
            return new CohortExtraction(this, ingestion, warnings);
        }
    }
}
