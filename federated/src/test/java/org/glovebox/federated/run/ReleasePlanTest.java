package org.glovebox.federated.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.glovebox.federated.study.StudyDefinition;
import org.junit.jupiter.api.Test;

/** The plain-words account of what a study discloses, for each kind of study. */
class ReleasePlanTest {
    private static String plan(String text) {
        return String.join("\n", ReleasePlan.describe(StudyDefinition.parse(text)));
    }

    private static final String BASE = "name: s\ncohort: example:edin\nhospitals: [a, b, c]\nthreshold: 2\n";

    @Test
    void anExactStatisticsStudyListsEveryFigureAndWarnsThatItIsExact() {
        String p = plan(BASE + "model: {type: statistics}\nstatistics: {histograms: {x1: [0.5], x2: [0.5]},"
                + " covariance: true, crossTables: [[x1, x2]]}\n");
        assertThat(p).contains("3 hospitals: a, b, c", "any 2 of the 3 hospitals", "sums over at least 2 hospitals",
                "mean and variance of 9 features", "histogram of x1 in 2 bins", "histogram of x2 in 2 bins",
                "covariance matrix", "counts by x1 and x2 (4 cells)", "EXACT");
    }

    @Test
    void aPrivateStatisticsStudyStatesItsEpsilonAndNoise() {
        StringBuilder b = new StringBuilder("statistics: {bounds: {");
        for (int j = 1; j <= 9; j++) {
            b.append(j > 1 ? ", " : "").append("x").append(j).append(": [0, 1]");
        }
        String p = plan(BASE + "model: {type: statistics}\n" + b + "}}\nprivacy: {enabled: true, epsilon: 2}\n");
        assertThat(p).contains("patient-level differential privacy, epsilon 2, delta 1.0E-6",
                "standard deviation").doesNotContain("EXACT");
    }

    @Test
    void trainingStudiesStateTheirRoundsReleasesAndPrivacy() {
        assertThat(plan(BASE + "rounds: 5\n")).contains("each of up to 5 rounds", "the model (logistic)",
                "no differential privacy");
        assertThat(plan(BASE + "rounds: 5\nmodel: {type: mlp, hidden: 4}\nprivacy: {enabled: true, noiseMultiplier:"
                + " 2, epsilonBudget: 100}\n")).contains("(mlp, 4 hidden units)", "with Gaussian noise",
                "noise multiplier 2", "after 5 rounds");
        assertThat(plan(BASE + "rounds: 5\nprivacy: {enabled: true, noiseMultiplier: 0.1, epsilonBudget: 0.5}\n"))
                .contains("would train nothing");
        assertThat(plan(BASE + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"))
                .contains("WARNING", "IN CLEAR");
    }
}
