package org.glovebox.federated.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glovebox.data.cohort.FeatureDefinition;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.learn.RdpAccountant;
import org.glovebox.federated.stats.CohortStatistics;
import org.glovebox.federated.stats.StudyStatistics;
import org.glovebox.federated.study.HistogramSpec;
import org.glovebox.federated.study.StatisticsSpec;
import org.glovebox.federated.study.StudyDefinition;

/**
 * What a study discloses, in plain words, for a hospital's data team and compliance officer to read before the
 * hospital joins: who holds keys, what leaves the hospital (ciphertexts and decryption shares only), and every figure
 * that is released in clear, to whom, and with which privacy. It is derived from the study file itself, so it
 * describes exactly the study whose id the hospital will be asked to join.
 */
public final class ReleasePlan {
    private ReleasePlan() {
    }

    /** The plan as text lines. */
    public static List<String> describe(StudyDefinition study) {
        List<String> out = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (FeatureDefinition f : study.cohortDefinition().features()) {
            features.add(f.name());
        }
        int n = study.hospitals().size();
        out.add("Study " + study.name() + " (id " + study.idHex() + "), cohort " + study.cohort() + ", " + n
                + " hospitals: " + String.join(", ", study.hospitals()) + ".");
        if (study.encrypted()) {
            out.add("Keys: the secret key exists only as shares, one per hospital; any " + study.threshold() + " of the "
                    + n + " hospitals are needed to decrypt, and they decrypt only sums over the hospitals (never one"
                    + " hospital's upload). The coordinator holds no key.");
            out.add("What leaves each hospital: ciphertexts (" + AggregationScheme.forStudy(study, 1).parameters()
                    + (study.insecureRing() ? ": WARNING, an insecure test ring" : ", 128-bit secure")
                    + "), its public-key and threshold-key shares, and smudged decryption shares of those sums.");
        } else {
            out.add("WARNING: aggregation " + study.aggregation() + ": updates travel and are summed IN CLEAR. For"
                    + " benchmarks only.");
        }
        out.add("Released in clear to the coordinator and every hospital (sums over at least "
                + study.requiredPerRound() + " hospitals; a hospital can subtract its own figures):");
        if (study.statisticsOnly()) {
            CohortStatistics layout = CohortStatistics.forStudy(study);
            StatisticsSpec spec = study.statistics();
            out.add("  - once, over all patients: the number of patients and of positive outcomes; the mean and"
                    + " variance of " + features.size() + " features (" + String.join(", ", features) + ")");
            for (HistogramSpec h : spec.histograms()) {
                out.add("  - the histogram of " + h.feature() + " in " + h.bins() + " bins, overall and among positive"
                        + " outcomes");
            }
            if (spec.covariance()) {
                out.add("  - the covariance matrix of the features");
            }
            for (StatisticsSpec.CrossTableSpec t : spec.crossTables()) {
                out.add("  - the counts by " + t.rows().feature() + " and " + t.columns().feature() + " ("
                        + t.cells() + " cells), overall and among positive outcomes");
            }
            if (layout.privacy() != null) {
                out.add(String.format(Locale.ROOT, "Privacy: patient-level differential privacy, epsilon %s, delta %s"
                        + " (Gaussian noise of standard deviation %.1f on every count; values clipped to the study's"
                        + " bounds).", number(study.privacy().epsilonBudget()), number(study.privacy().delta()),
                        layout.privacy().releasedCountNoiseStd()));
            } else {
                out.add("Privacy: the figures are EXACT (no differential privacy): a cell of one or two patients can"
                        + " single them out to someone who knows other facts about them.");
            }
            return out;
        }
        out.add("  - once: the number of training patients, and the mean and standard deviation of " + features.size()
                + " features (" + String.join(", ", features) + "), exact");
        out.add("  - each of up to " + study.rounds() + " rounds: the model (" + study.modelType().name().toLowerCase(
                Locale.ROOT) + (study.hidden() > 0 ? ", " + study.hidden() + " hidden units" : "") + "), the sum of the"
                + " hospitals' clipped updates (L2 norm at most " + number(study.clipNorm()) + " each)"
                + (study.privacy().enabled() ? " with Gaussian noise" : "") + ", and validation counts (samples,"
                + " correct predictions, summed log loss, " + Evaluation.BINS + "-bin score histograms by outcome)");
        out.add("  - at the end: one more evaluation of the final model");
        if (study.privacy().enabled()) {
            int trained = 0;
            while (study.trainsRound(trained + 1)) {
                trained++;
            }
            if (trained == 0) {
                out.add("Privacy: at noise multiplier " + number(study.privacy().noiseMultiplier()) + " one round"
                        + " would already exceed the epsilon budget " + number(study.privacy().epsilonBudget())
                        + ": the study would train nothing and only evaluate the initial model.");
                return out;
            }
            out.add(String.format(Locale.ROOT, "Privacy: hospital-level differential privacy of the model updates,"
                    + " noise multiplier %s, epsilon %.2f at delta %s after %d rounds (budget %s); the study stops"
                    + " training at the budget. The exact counts above are not covered.",
                    number(study.privacy().noiseMultiplier()), RdpAccountant.epsilon(study.privacy().noiseMultiplier(),
                            trained, study.privacy().delta()), number(study.privacy().delta()), trained,
                    number(study.privacy().epsilonBudget())));
        } else {
            out.add("Privacy: no differential privacy; the released model and updates can carry information about"
                    + " individual training records.");
        }
        return out;
    }

    private static String number(double v) {
        return StudyStatistics.number(v);
    }
}
