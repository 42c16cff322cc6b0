package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.glovebox.data.SharedDatasets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README flow at the 128-bit training set (N = 2^16): keygen --params training, encrypt lbw through its example
 * cohort, train 7 iterations on the public directory, decrypt the model, score with the encrypted model. Slow (keys
 * of about 450 MB, a training run of a minute or two): run with -Pslow-tests.
 */
@Tag("slow")
class TrainingSetCliSlowTest {
    @TempDir
    Path dir;

    private static String ok(String... args) {
        return CliCapture.okEcho(args);
    }

    @Test
    void readmeFlowOnLbw() throws Exception {
        Optional<Path> lbw = SharedDatasets.file("lbw.txt");
        assumeTrue(lbw.isPresent(), "shared/datasets/lbw.txt not found: skipping");
        Path keys = dir.resolve("keys");
        ok("keygen", "--params", "training", "--out", keys.toString());
        String pub = keys.resolve("public").toString();
        ok("encrypt", "--keys", keys.toString(), "--csv", lbw.get().toString(), "--cohort", "example:lbw", "--label",
                "y", "--out", dir.resolve("lbw.enc").toString());
        assertThat(GloveboxCli.run("train", "--public", pub, "--in", dir.resolve("lbw.enc").toString(),
                "--iterations", "8", "--out", dir.resolve("x.enc").toString())).isEqualTo(2);
        String train = ok("train", "--public", pub, "--in", dir.resolve("lbw.enc").toString(), "--iterations", "7",
                "--out", dir.resolve("model.enc").toString());
        assertThat(train).contains("iteration 7/7", "levels left 1");
        String model = ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("model.enc").toString());
        List<String> lines = model.lines().toList();
        assertThat(lines.get(0)).isEqualTo("term,coefficient");
        assertThat(lines).hasSize(11);
        ok("encrypt", "--keys", keys.toString(), "--csv", lbw.get().toString(), "--cohort", "example:lbw",
                "--records", "--layout", "rows", "--out", dir.resolve("rec.enc").toString());
        ok("score", "--public", pub, "--model", dir.resolve("model.enc").toString(), "--in",
                dir.resolve("rec.enc").toString(), "--out", dir.resolve("scores.enc").toString());
        String scores = ok("decrypt", "--keys", keys.toString(), "--in", dir.resolve("scores.enc").toString());
        assertThat(scores.lines().count()).isEqualTo(190);
        System.out.println("public directory: " + Files.walk(keys.resolve("public")).filter(Files::isRegularFile)
                .mapToLong(p -> p.toFile().length()).sum() / 1_000_000 + " MB");
    }
}
