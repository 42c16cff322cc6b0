package org.glovebox.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a cohort extraction did: how much input was read and skipped, how many patients (or CSV records) were seen, were
 * eligible and were kept, why the others were dropped, how many values each feature lacked and how they were handled,
 * and warnings such as a code that matched nothing in the whole input. Counts and aggregates only, no patient values:
 * safe to print and to share with the study coordinator.
 *
 * @param cohort    cohort name
 * @param ingestion input accounting
 * @param seen      patients (FHIR) or records (CSV) found in the input
 * @param eligible  how many passed the population criteria and had a label
 * @param kept      rows in the feature matrix
 * @param dropped   reasons for leaving patients out, with counts, in the order they are applied
 * @param features  per-feature missing-value accounting, in column order
 * @param labelName name of the label
 * @param positives rows with label 1
 * @param warnings  things that look wrong but did not stop the run
 */
public record CohortReport(String cohort, IngestionStats ingestion, long seen, long eligible, long kept,
        Map<String, Long> dropped, List<FeatureReport> features, String labelName, long positives,
        List<String> warnings) {

    /** How many located examples of skipped input {@link #render()} shows. */
    public static final int RENDERED_EXAMPLES = 5;

    public CohortReport {
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        features = List.copyOf(features);
        warnings = List.copyOf(warnings);
    }

    /** Total number of patients or records left out. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A human-readable multi-line summary (counts only). */
    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("Cohort ").append(cohort).append('\n');
        s.append(String.format(Locale.ROOT, "Input: %d file(s), %,d records read in %.1f s (%,.0f records/s)%n",
                ingestion.files(), ingestion.totalRead(), ingestion.elapsed().toNanos() / 1e9,
                ingestion.recordsPerSecond()));
        ingestion.read().forEach((type, n) -> s.append(String.format(Locale.ROOT, "  %-28s %,12d%n", type, n)));
        if (!ingestion.skipped().isEmpty()) {
            s.append(String.format(Locale.ROOT, "Skipped: %,d%n", ingestion.totalSkipped()));
            ingestion.skipped().forEach((why, n) -> s.append(String.format(Locale.ROOT, "  %-44s %,10d%n", why, n)));
            List<String> examples = ingestion.examples();
            s.append("  first examples:\n");
            examples.stream().limit(RENDERED_EXAMPLES).forEach(e -> s.append("    ").append(e).append('\n'));
            if (examples.size() > RENDERED_EXAMPLES) {
                s.append("    (").append(examples.size() - RENDERED_EXAMPLES).append(" more in ingestion().examples())\n");
            }
        }
        s.append(String.format(Locale.ROOT, "Patients/records: %,d seen, %,d eligible, %,d kept, %,d dropped%n", seen,
                eligible, kept, droppedTotal()));
        dropped.forEach((why, n) -> s.append(String.format(Locale.ROOT, "  dropped: %-35s %,10d%n", why, n)));
        s.append(String.format(Locale.ROOT, "Label %s: %,d positive of %,d (%.1f%%)%n", labelName, positives, kept,
                kept == 0 ? 0.0 : 100.0 * positives / kept));
        s.append(String.format(Locale.ROOT, "%-24s %-11s %-8s %-16s %8s %8s %10s%n", "feature", "kind", "unit",
                "missing policy", "missing", "rate", "imputed"));
        for (FeatureReport f : features) {
            s.append(String.format(Locale.ROOT, "%-24s %-11s %-8s %-16s %,8d %7.1f%% %,10d%n", f.name(),
                    f.kind().name().toLowerCase(Locale.ROOT), f.unit(), f.policy(), f.missing(),
                    100 * f.missingRate(), f.imputed()));
        }
        for (String w : warnings) {
            s.append("Warning: ").append(w).append('\n');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "CohortReport[" + cohort + ": " + kept + " kept of " + seen + " seen]";
    }
}
