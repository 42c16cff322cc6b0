package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glovebox study describe}, and how any command reports a failure: one clear line, exit code 1. */
class StudyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void describesAStudyFileBeforeAHospitalJoins() throws Exception {
        Path study = tmp.resolve("study.yaml");
        Files.writeString(study, "name: s\ncohort: example:edin\nhospitals: [a, b, c]\nthreshold: 2\n"
                + "model: {type: statistics}\nstatistics: {histograms: {x1: [0.5]}}\n");
        String out = CliCapture.ok("study", "describe", "--study", study.toString());
        assertThat(out).contains("Study s (id ", "any 2 of the 3 hospitals", "histogram of x1", "EXACT");
    }

    @Test
    void failuresPrintOneLineWithTheReasonNotAStackTrace() throws Exception {
        CliCapture.Run missing = CliCapture.run("study", "describe", "--study", tmp.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("glovebox study describe: no such file: ")
                .doesNotContain("\tat ", "Exception");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "name: s\ncohort: example:edin\nhospitals: [a]\nrounds: -3\n");
        CliCapture.Run invalid = CliCapture.run("study", "describe", "--study", bad.toString());
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).contains("rounds").doesNotContain("\tat ");
        CliCapture.Run params = CliCapture.run("keygen", "--params", "NOPE", "--out", tmp.resolve("k").toString());
        assertThat(params.code()).isEqualTo(1);
        assertThat(params.err()).startsWith("glovebox keygen: unknown parameter set 'NOPE'");
    }
}
