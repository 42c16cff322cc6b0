package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.RoundReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round time and bytes per hospital, encrypted (N = 2^12 unless -Dglovebox.bench.logN, one 60-bit prime, compressed
 * uploads and decryption shares, 128-bit secure) versus plaintext
 * aggregation, for models of 10^3 … 10^6 parameters (an MLP whose hidden layer sets the size) and 3 or 10
 * hospitals on loopback. Prints a Markdown table. Slow: run with -Pslow-tests -Dtest=FederatedBenchmarkTest
 * (-Dglovebox.bench.sizes=1000,10000 -Dglovebox.bench.hospitals=3,10 to choose).
 */
@Tag("slow")
class FederatedBenchmarkTest {
    /** Trained rounds per configuration (the first is not counted: warm-up). */
    private static final int ROUNDS = Integer.getInteger("glovebox.bench.rounds", 5);
    /** Ring of the encrypted runs: -Dglovebox.bench.logN (default 12, the study default). */
    private static final int LOG_N = Integer.getInteger("glovebox.bench.logN", 12);
    /**
     * Plaintext/encrypted pairs per configuration (-Dglovebox.bench.repeat, default 1). With more than one, the
     * pairs alternate in the same JVM and a last row pools the rounds of pairs 2 … n: the first pair warms the JIT
     * for both modes, and a burst of load on a shared machine then falls on both modes alike.
     */
    private static final int REPEAT = Integer.getInteger("glovebox.bench.repeat", 1);
    /**
     * Pairs left out of the pooled row (-Dglovebox.bench.warmup, default 1, at most repeat − 1): on one core the JIT
     * keeps compiling through the first few pairs (JFR shows C2 compilations of 1–2 s in pairs 2–6 of 40 rounds), and
     * the plaintext round keeps getting faster until then, so a steady-state figure leaves more of them out.
     */
    private static final int WARMUP = Math.max(1, Math.min(Integer.getInteger("glovebox.bench.warmup", 1),
            REPEAT - 1));
    /**
     * Synthetic patients per hospital (-Dglovebox.bench.patients; default 0: the tests' 120, 160, 200, … patients,
     * so little local training that the round is mostly protocol). The ratio depends on it: a larger cohort makes
     * the same encryption work a smaller part of the round.
     */
    private static final int PATIENTS = Integer.getInteger("glovebox.bench.patients", 0);

    @TempDir
    Path tmp;

    @Test
    void roundTimeAndBytes() throws Exception {
        String[] sizes = System.getProperty("glovebox.bench.sizes", "1000,10000,100000,1000000").split(",");
        String[] hs = System.getProperty("glovebox.bench.hospitals", "3,10").split(",");
        StringBuilder table = new StringBuilder();
        table.append("| parameters | hospitals | plaintext round (s) | encrypted round (s) | ratio | plaintext CPU (s)"
                + " | encrypted CPU (s) | plaintext bytes/hospital | encrypted upload bytes/hospital"
                + " | upload bytes/parameter | + decryption shares (t hospitals) | peak old gen MB (plain/enc)"
                + " | late rounds: plaintext / encrypted round (s) | late ratio | late CPU plain / enc (s) |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String hsStr : hs) {
            int h = Integer.parseInt(hsStr.trim());
            for (String sz : sizes) {
                int p = Integer.parseInt(sz.trim());
                int hidden = Math.max(1, (p - 1) / 11);
                String extra = "rounds: " + ROUNDS + "\nlocalEpochs: 1\nthreshold: " + Math.max(2, h / 2)
                        + "\nmodel: {type: mlp, hidden: " + hidden + "}\nlearningRate: 0.05\n";
                String secure = "encryption: {logN: " + LOG_N + "}\n";
                int params = 11 * hidden + 1;
                Run[] pooled = {new Run(null, new long[0], new long[0]), new Run(null, new long[0], new long[0])};
                for (int r = 0; r < REPEAT; r++) {
                    Run plain = measure(tmp.resolve("p" + p + "-" + h + "-" + r), text(h, extra + secure
                            + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"));
                    Run enc = measure(tmp.resolve("e" + p + "-" + h + "-" + r), text(h, extra + secure));
                    row(table, REPEAT == 1 ? Integer.toString(params) : params + " (pair " + (r + 1) + ")", h,
                            plain.summary(), enc.summary(), params);
                    if (r >= WARMUP) {
                        pooled[0] = pooled[0].with(plain);
                        pooled[1] = pooled[1].with(enc);
                    }
                    System.out.println(table);
                }
                if (REPEAT > 1) {
                    row(table, params + " (pairs " + (WARMUP + 1) + "-" + REPEAT + " pooled)", h,
                            pooled[0].pooledSummary(), pooled[1].pooledSummary(), params);
                }
                System.out.println(table);
            }
        }
        System.out.println(table);
        assertThat(table).isNotEmpty();
    }

    private static void row(StringBuilder table, String params, int h, double[] plain, double[] enc, int parameters) {
        table.append(String.format(Locale.ROOT,
                "| %s | %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.0f | %.0f | %.1f | %.0f | %.0f / %.0f"
                        + " | %.3f / %.3f | %.2f | %.3f / %.3f |%n",
                params, h, plain[0], enc[0], enc[0] / plain[0], plain[3], enc[3], plain[1], enc[1],
                enc[1] / parameters, enc[2], plain[4], enc[4], plain[5], enc[5], enc[5] / plain[5], plain[6],
                enc[6]));
    }

    /** One study's summary (see {@link #measure}) and its per-round wall milliseconds and CPU nanoseconds. */
    private record Run(double[] summary, long[] ms, long[] cpu) {
        Run with(Run other) {
            long[] m = java.util.Arrays.copyOf(ms, ms.length + other.ms.length);
            System.arraycopy(other.ms, 0, m, ms.length, other.ms.length);
            long[] c = java.util.Arrays.copyOf(cpu, cpu.length + other.cpu.length);
            System.arraycopy(other.cpu, 0, c, cpu.length, other.cpu.length);
            return new Run(other.summary, m, c);
        }

        /** The summary with the medians over the pooled rounds (late: the same, the warm-up pair is left out). */
        double[] pooledSummary() {
            double[] s = summary.clone();
            s[0] = median(ms) / 1e3;
            s[3] = median(cpu) / 1e9;
            s[5] = s[0];
            s[6] = s[3];
            return s;
        }
    }

    private static String text(int h, String extra) {
        return Cluster.studyText(h, extra).replace("encryption: {logN: 10, insecureTestRing: true}\n", "")
                .replace("timeouts: {roundSeconds: 20, decryptionSeconds: 10}", "timeouts: {roundSeconds: 600,"
                        + " decryptionSeconds: 600}");
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? 0 : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    /**
     * {median wall seconds of the trained rounds after the first, upload bytes/hospital, decryption bytes, median
     * process CPU seconds of those rounds (all threads), peak old-generation heap in MB, median wall and CPU seconds
     * of the late rounds (the second half of the trained rounds: on one shared core the JIT keeps compiling for
     * many rounds, and the plaintext study, which runs first, pays for the code both modes share)}.
     */
    private static Run measure(Path dir, String text) throws Exception {
        System.gc();
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try (Cluster c = new Cluster(dir, text, PATIENTS)) {
            Coordinator co = c.startCoordinator();
            // process CPU time (all threads: coordinator, hospitals, gRPC, JIT, GC) at every release
            List<Long> cpuAtRelease = new java.util.concurrent.CopyOnWriteArrayList<>();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            co.onRound(r -> cpuAtRelease.add(os.getProcessCpuTime()));
            for (int i = 0; i < c.names.size(); i++) {
                c.startHospital(i);
            }
            assertThat(co.awaitFinished(3_600_000)).isTrue();
            List<RoundReport> reps = co.reports();
            long[] ms = reps.stream().filter(RoundReport::trained).skip(1).mapToLong(RoundReport::millis).toArray();
            long[] cpu = new long[ms.length];
            for (int i = 0; i < cpu.length; i++) {
                cpu[i] = cpuAtRelease.get(i + 1) - cpuAtRelease.get(i); // trained round i + 2 (reports are in order)
            }
            RoundReport r = reps.get(1);
            // bytes: participants not decrypting sent only the upload; decryptors sent upload + shares
            long upload = Long.MAX_VALUE;
            long max = 0;
            for (var e : r.bytesSent().entrySet()) {
                upload = Math.min(upload, e.getValue());
                max = Math.max(max, e.getValue());
            }
            if (r.decryptors().size() == r.participants().size()) {
                upload = max; // everyone decrypted: cannot separate here
            }
            long oldGenPeak = 0;
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getName().contains("Old")) {
                    oldGenPeak += pool.getPeakUsage().getUsed();
                }
            }
            int late = ms.length / 2;
            return new Run(new double[] {median(ms) / 1e3, upload, max - upload, median(cpu) / 1e9, oldGenPeak / 1e6,
                    median(java.util.Arrays.copyOfRange(ms, late, ms.length)) / 1e3,
                    median(java.util.Arrays.copyOfRange(cpu, late, cpu.length)) / 1e9}, ms, cpu);
        }
    }
}
