package org.glovebox.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glovebox.data.synth.HospitalProfile;
import org.glovebox.data.synth.SyntheticHospitals;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Writes a synthetic bulk export of more than a million FHIR resources (once, into target/throughput-export) and reads
 * it in a separate JVM limited to 256 MB of heap, printing resources per second. Slow: runs only with
 * {@code -Pslow-tests}.
 */
@Tag("slow")
class IngestionThroughputTest {

    private static final int PATIENTS_PER_HOSPITAL = 16_000;

    @Test
    void readsAMillionResourcesStreamingIn256MegabytesOfHeap() throws IOException, InterruptedException {
        Path export = Path.of("target", "throughput-export").toAbsolutePath();
        Path done = export.resolve("ground-truth.json");
        if (!Files.exists(done)) {
            long t0 = System.nanoTime();
            SyntheticHospitals.Summary s = new SyntheticHospitals().write(export, HospitalProfile.defaults(3, 1),
                    PATIENTS_PER_HOSPITAL, 1, EnumSet.of(SyntheticHospitals.Format.FHIR_NDJSON));
            System.out.printf("wrote %,d resources in %.1f s%n", s.resources(), (System.nanoTime() - t0) / 1e9);
        }

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), IngestionThroughput.class.getName(), export.toString(), "1", "2"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("parser threads 2:");
        long resources = Long.parseLong(output.replaceAll("(?s).*parser threads 1: ([0-9,]+) resources.*", "$1")
                .replace(",", ""));
        assertThat(resources).isGreaterThanOrEqualTo(1_000_000);
    }
}
