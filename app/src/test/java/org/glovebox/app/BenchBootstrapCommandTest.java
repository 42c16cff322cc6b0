package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code glovebox bench --bootstrap} on the insecure N = 2^10 test ring, and its usage errors. */
class BenchBootstrapCommandTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GloveboxCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    @Timeout(120)
    void bootstrapOnTheTestRingWritesTheFiveFieldsAsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/bootstrap.json");
        Outcome o = run("bench", "--bootstrap", "--params", "test-insecure", "--reps", "2", "--json", json.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("INSECURE").contains("bootstrap_keygen").contains("bits worst slot");
        // Progress goes to stderr: warm-up first (no --quick), then one line per timed run.
        assertThat(o.err()).contains("warm-up").contains("bootstrap 2/2:");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("params").asText()).isEqualTo("test-insecure");
        assertThat(root.get("insecure").asBoolean()).isTrue();
        assertThat(root.get("log_n").asInt()).isEqualTo(10);
        assertThat(root.get("slots").asInt()).isEqualTo(512);
        assertThat(root.get("warmup").asBoolean()).isTrue();
        assertThat(root.get("clock").asText()).isEqualTo("wall");
        assertThat(root.get("bootstrap").asDouble()).isPositive();
        assertThat(root.get("bootstrap_keygen").asDouble()).isPositive();
        assertThat(root.get("bootstrap_keys_bytes").asLong()).isPositive();
        assertThat(root.get("bootstrap_keys_stored_bytes").asLong()).isPositive()
                .isLessThan(root.get("bootstrap_keys_bytes").asLong());
        // Observed on this ring: 21.6-21.7 bits mean, 18.5-19.1 in the worst slot; a broken bootstrap gives ~0.
        double mean = root.get("bootstrap_bits_mean").asDouble();
        double min = root.get("bootstrap_bits_min").asDouble();
        assertThat(mean).isGreaterThanOrEqualTo(15);
        assertThat(min).isGreaterThanOrEqualTo(12).isLessThanOrEqualTo(mean);
        assertThat(root.get("output_level").asInt()).isGreaterThan(root.get("input_level").asInt());

        JsonNode runs = root.get("bootstrap_runs");
        assertThat(runs.size()).isEqualTo(2);
        double worstOfRuns = Math.min(runs.get(0).get("bits_min").asDouble(), runs.get(1).get("bits_min").asDouble());
        assertThat(min).isCloseTo(worstOfRuns, org.assertj.core.data.Offset.offset(1e-3));
        JsonNode stats = root.get("statistics").get("bootstrap");
        assertThat(stats.get("reps").asInt()).isEqualTo(2);
        assertThat(stats.get("median").asDouble()).isEqualTo(root.get("bootstrap").asDouble());
    }

    @Test
    @Timeout(120)
    void quickSkipsTheWarmUpAndTimesOneBootstrapByCpuTime(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("quick.json");
        Outcome o = run("bench", "--bootstrap", "-p", "test-insecure", "--quick", "--cpu-time", "--json",
                json.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).doesNotContain("warm-up").contains("bootstrap 1/1:");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("warmup").asBoolean()).isFalse();
        assertThat(root.get("quick").asBoolean()).isTrue();
        assertThat(root.get("clock").asText()).isEqualTo("thread-cpu");
        assertThat(root.get("statistics").get("bootstrap").get("reps").asInt()).isEqualTo(1);
        assertThat(root.get("bootstrap").asDouble()).isPositive();
        assertThat(root.get("bootstrap_bits_mean").asDouble()).isGreaterThanOrEqualTo(15);
    }

    @Test
    @Timeout(120)
    void twoThreadsAreRecordedAndKeepThePrecision(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("threads.json");
        Outcome o = run("bench", "--bootstrap", "-p", "test-insecure", "--quick", "--threads", "2", "--json",
                json.toString());

        assertThat(o.code()).as(o.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("threads").asInt()).isEqualTo(2);
        assertThat(root.get("bootstrap_bits_mean").asDouble()).isGreaterThanOrEqualTo(15);
        assertThat(root.get("bootstrap_bits_min").asDouble()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void unknownBootstrappingSetIsAUsageError() {
        Outcome o = run("bench", "--bootstrap", "--params", "n17");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("unknown bootstrapping parameter set 'n17'").contains("n16")
                .contains("test-insecure");
    }

    @Test
    void operationSetIsNotABootstrappingSet() {
        Outcome o = run("bench", "--bootstrap", "--params", "N14");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("unknown bootstrapping parameter set 'N14'");
    }

    @Test
    void opsDoNotApplyToBootstrap() {
        Outcome o = run("bench", "--bootstrap", "-p", "test-insecure", "--ops", "add");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--ops").contains("does not apply to --bootstrap");
    }

    @Test
    void zeroRepsIsAUsageError() {
        Outcome o = run("bench", "--bootstrap", "-p", "test-insecure", "--reps", "0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--reps must be >= 1");
    }

    @Test
    void cpuTimeNeedsOneThreadForBootstrapToo() {
        Outcome o = run("bench", "--bootstrap", "-p", "test-insecure", "--cpu-time", "--threads", "2");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--threads 1");
    }
}
