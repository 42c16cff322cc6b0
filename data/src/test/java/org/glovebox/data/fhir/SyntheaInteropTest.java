package org.glovebox.data.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.glovebox.data.CohortResult;
import org.glovebox.data.cohort.CohortDefinitions;
import org.junit.jupiter.api.Test;

/**
 * Reads FHIR that Glovebox did not write: Synthea's patient bundles. Synthea runs on its own class path in the
 * {@code synthea} Maven profile ({@code ./mvnw -pl data -Psynthea verify}), which sets {@code glovebox.synthea.dir};
 * without it this test is skipped.
 */
class SyntheaInteropTest {

    @Test
    void syntheaBundlesLoadWithTheExampleCohortWithoutErrors() {
        String dir = System.getProperty("glovebox.synthea.dir");
        assumeTrue(dir != null, "no Synthea output: run ./mvnw -pl data -Psynthea verify to generate and check it");
        assertThat(Path.of(dir)).as("Synthea output of the synthea profile").isDirectory();

        // The default error policy fails on any malformed resource or unexpected unit, so loading at all is the check.
        CohortResult result = new FhirCohortReader(CohortDefinitions.example("synthea-hypertension"))
                .read(Path.of(dir)).build();

        System.out.println(result.report().render());
        assertThat(result.report().ingestion().read().get("Patient")).isGreaterThanOrEqualTo(300);
        assertThat(result.report().ingestion().skipped()).doesNotContainKeys("malformed resource", "invalid JSON",
                "duplicate resource", "subject is not a Patient reference");
        assertThat(result.report().warnings()).isEmpty();
        assertThat(result.matrix().rows()).isGreaterThan(100);
        assertThat(result.report().features().stream().filter(f -> f.name().equals("bmi")).findFirst().orElseThrow()
                .missingRate()).isLessThan(0.5);
    }
}
