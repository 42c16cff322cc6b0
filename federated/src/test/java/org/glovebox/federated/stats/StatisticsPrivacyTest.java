package org.glovebox.federated.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.study.StudyDefinition;
import org.junit.jupiter.api.Test;

/** The Gaussian mechanism of private statistics studies: calibration, the noise the shares add up to, validation. */
class StatisticsPrivacyTest {
    private static final String PRIVATE = """
            name: private
            cohort: example:edin
            hospitals: [a, b, c]
            threshold: 2
            model: {type: statistics}
            statistics:
              histograms: {x1: [0.5]}
              bounds: {x1: [0, 1], x2: [0, 1], x3: [0, 1], x4: [0, 1], x5: [0, 1], x6: [0, 1], x7: [0, 1],
                       x8: [0, 1], x9: [-4, 2]}
            privacy: {enabled: true, epsilon: 1, delta: 1e-6}
            """;

    @Test
    void rhoAndEpsilonConvertBothWays() {
        for (double eps : new double[] {0.1, 1, 3, 10}) {
            for (double delta : new double[] {1e-9, 1e-6, 1e-3}) {
                assertThat(StatisticsPrivacy.epsilonOf(StatisticsPrivacy.rho(eps, delta), delta))
                        .isCloseTo(eps, within(1e-9 * eps));
            }
        }
        // Δ = sqrt(2 + 2·9 + 2·1) for 9 features and one histogram; σ = Δ / sqrt(2ρ)
        CohortStatistics layout = CohortStatistics.forStudy(StudyDefinition.parse(PRIVATE));
        double rho = StatisticsPrivacy.rho(1, 1e-6);
        assertThat(layout.privacy().sensitivity()).isCloseTo(Math.sqrt(22), within(1e-12));
        assertThat(layout.privacy().countNoiseStd()).isCloseTo(Math.sqrt(22) / Math.sqrt(2 * rho), within(1e-9));
        // three hospitals: each share carries σ²/2, so any one hospital, knowing its own, still faces σ²
        assertThat(layout.privacy().shareStd(0)).isCloseTo(layout.privacy().countNoiseStd() / Math.sqrt(2),
                within(1e-12));
        // Σx_9 moves by at most 4 per patient, Σx_9² by 16
        assertThat(layout.privacy().shareStd(1 + 8)).isCloseTo(4 * layout.privacy().shareStd(0), within(1e-9));
        assertThat(layout.privacy().shareStd(1 + 9 + 8)).isCloseTo(16 * layout.privacy().shareStd(0), within(1e-9));
    }

    @Test
    void twoSharesAddUpToTheCalibratedNoiseWithoutBias() {
        CohortStatistics layout = CohortStatistics.forStudy(StudyDefinition.parse(PRIVATE));
        double sigma = layout.privacy().countNoiseStd();
        double[][] x = new double[50][9];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i][0] = i % 2;
            x[i][8] = -3 + (i % 7); // up to 3, clipped to 2
            y[i] = i % 5 == 0 ? 1 : 0;
        }
        double exactSum9 = 0;
        for (double[] row : x) {
            exactSum9 += Math.min(2, row[8]);
        }
        Random noise = new Random(new SecureRandom().nextLong());
        int trials = 400;
        double s1 = 0;
        double s2 = 0;
        double t1 = 0;
        double t2 = 0;
        for (int k = 0; k < trials; k++) {
            BigInteger[] a = layout.local(x, y, noise);
            BigInteger[] b = layout.local(new double[0][9], new double[0], noise);
            double n = AggregationScheme.fromFixedPoint(a[0].add(b[0])) - 50;
            double sum9 = AggregationScheme.fromFixedPoint(a[9].add(b[9])) - exactSum9;
            s1 += n;
            s2 += n * n;
            t1 += sum9;
            t2 += sum9 * sum9;
        }
        double std = Math.sqrt(s2 / trials - (s1 / trials) * (s1 / trials));
        assertThat(std).as("noise on n").isBetween(0.85 * sigma, 1.15 * sigma);
        assertThat(s1 / trials).as("mean noise on n").isCloseTo(0, within(4 * sigma / Math.sqrt(trials)));
        double std9 = Math.sqrt(t2 / trials - (t1 / trials) * (t1 / trials));
        assertThat(std9).as("noise on the clipped sum of x9").isBetween(0.85 * 4 * sigma, 1.15 * 4 * sigma);

        StudyStatistics s = layout.release(add(layout.local(x, y, noise), layout.local(x, y, noise)),
                List.of("a", "b"));
        // the release states the noise a reader faces: all three shares, σ·sqrt(3/2)
        assertThat(s.privacy()).isEqualTo(new StudyStatistics.Privacy(1, 1e-6, sigma * Math.sqrt(1.5)));
        assertThat(layout.privacy().releasedCountNoiseStd()).isCloseTo(sigma * Math.sqrt(1.5), within(1e-12));
        assertThat((double) s.patients()).isCloseTo(100, within(6 * sigma));
        assertThat(s.positives()).isBetween(0L, s.patients());
        assertThat(s.features().get(8).mean()).isBetween(-4.0, 2.0);
        assertThat(java.util.Arrays.stream(s.histograms().get(0).counts()).min().orElse(0)).isNotNegative();
        assertThat(s.toText()).contains("differentially private: epsilon 1.00");
        assertThat(StudyStatistics.fromJson(s.toJson())).isEqualTo(s);
        assertThatThrownBy(() -> layout.local(x, y)).hasMessageContaining("noise source");
    }

    private static BigInteger[] add(BigInteger[] u, BigInteger[] v) {
        BigInteger[] s = new BigInteger[u.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = u[i].add(v[i]);
        }
        return s;
    }

    @Test
    void privateStudyFilesAreValidated() {
        String base = "name: s\ncohort: example:edin\nhospitals: [a, b]\nmodel: {type: statistics}\n";
        String allBounds = "statistics: {bounds: {x1: [0, 1], x2: [0, 1], x3: [0, 1], x4: [0, 1], x5: [0, 1],"
                + " x6: [0, 1], x7: [0, 1], x8: [0, 1], x9: [0, 1]}}\n";
        assertThat(StudyDefinition.parse(base + allBounds + "privacy: {enabled: true, epsilon: 2}\n").privacy()
                .epsilonBudget()).isEqualTo(2);
        for (String[] bad : new String[][] {
                {allBounds + "privacy: {enabled: true}\n", "needs privacy.epsilon"},
                {allBounds + "privacy: {enabled: true, epsilon: 0}\n", "[0.01, 100]"},
                {allBounds + "privacy: {enabled: true, epsilon: 1, delta: 0.5}\n", "(0, 0.01)"},
                {allBounds + "privacy: {enabled: true, epsilon: 1, noiseMultiplier: 1}\n", "unknown privacy field"},
                {"privacy: {enabled: true, epsilon: 1}\n", "needs statistics.bounds"},
                {allBounds, "enable privacy or remove them"},
                {"statistics: {bounds: {x1: [1, 0]}}\nprivacy: {enabled: true, epsilon: 1}\n", "low < high"},
                {"statistics: {bounds: {x1: [0]}}\nprivacy: {enabled: true, epsilon: 1}\n", "[low, high]"}}) {
            assertThatThrownBy(() -> StudyDefinition.parse(base + bad[0])).as(bad[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[1]);
        }
        // a cohort that imputes the mean cannot be released privately (one patient moves every imputed value)
        StringBuilder pimaBounds = new StringBuilder("statistics: {bounds: {");
        for (var f : org.glovebox.data.cohort.CohortDefinitions.example("pima").features()) {
            pimaBounds.append(pimaBounds.charAt(pimaBounds.length() - 1) == '{' ? "" : ", ").append(f.name())
                    .append(": [0, 1000]");
        }
        StudyDefinition imputing = StudyDefinition.parse("name: s\ncohort: example:pima\nhospitals: [a, b]\n"
                + "model: {type: statistics}\n" + pimaBounds + "}}\nprivacy: {enabled: true, epsilon: 1}\n");
        assertThatThrownBy(() -> CohortStatistics.forStudy(imputing)).hasMessageContaining("cohort mean");
        StudyDefinition partial = StudyDefinition.parse(base + "statistics: {bounds: {x1: [0, 1]}}\n"
                + "privacy: {enabled: true, epsilon: 1}\n");
        assertThatThrownBy(() -> CohortStatistics.forStudy(partial)).hasMessageContaining("'x2' has none");
        StudyDefinition unknown = StudyDefinition.parse(base + "statistics: {bounds: {age: [0, 1]}}\n"
                + "privacy: {enabled: true, epsilon: 1}\n");
        assertThatThrownBy(() -> CohortStatistics.forStudy(unknown)).hasMessageContaining("not a feature");
    }
}
