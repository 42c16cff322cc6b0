package org.glovebox.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.glovebox.app.bench.BootstrapBenchmark;
import org.glovebox.app.bench.BootstrapParameterSets;
import org.glovebox.app.bench.MicroBenchmark;
import org.glovebox.app.bench.OperationBenchmarks;
import org.glovebox.app.bench.Stats;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;
import org.glovebox.he.ring.Parallelism;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glovebox bench}: times the CKKS operations on this machine and prints per-operation medians in
 * microseconds (and optionally writes them as JSON) so users can size jobs; with {@code --bootstrap}, times
 * bootstrapping instead (key generation, bootstraps and their precision). For publication-grade figures of the
 * operations use the JMH benchmarks of module {@code bench}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Times the CKKS operations on this machine: per-operation median, p10 and p90 in microseconds.",
            "Operations: ntt_forward, ntt_inverse, encode, decode, encrypt_pk, encrypt_sk, decrypt, add, multiply,"
                    + " relinearize, rescale, multiply_plain, rotate, mul_relin_rescale, keygen_relin, keygen_galois.",
            "With --bootstrap: generates bootstrapping keys (bootstrap_keygen, one run, microseconds), bootstraps"
                    + " fresh encryptions of real values uniform in [-1, 1] (bootstrap: median microseconds over"
                    + " --reps runs, default 3, 1 with --quick; one untimed warm-up first unless --quick, because the"
                    + " first bootstrap in a JVM runs before the JIT has compiled), and reports the precision after"
                    + " decryption (bootstrap_bits_mean: -log2 of the mean absolute slot error; bootstrap_bits_min:"
                    + " -log2 of the worst slot's error, over all runs) and the key sizes (bootstrap_keys_bytes in"
                    + " memory, bootstrap_keys_stored_bytes serialized). At n16 the key generation and each bootstrap"
                    + " take 20-30 s single-threaded and the keys take 3.6 GB of heap: the JVM needs a maximum heap of"
                    + " about 6 GB (e.g. GLOVEBOX_JAVA_OPTS=-Xmx7g where its default is smaller)."
        })
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Default of {@code --params} for the operation benchmarks. */
    static final String DEFAULT_SET = "N14";

    @Option(names = {"-p", "--params"}, paramLabel = "<set>",
            description = "Parameter set name or alias (N13, N14, N15, STATS, ...). Default: " + DEFAULT_SET + "."
                    + " With --bootstrap, a bootstrapping set: " + BootstrapParameterSets.KNOWN + ". Default: "
                    + BootstrapParameterSets.DEFAULT + ".")
    String paramSet;

    @Option(names = "--bootstrap",
            description = "Benchmark bootstrapping instead of the operations (see above); --ops does not apply.")
    boolean bootstrap;

    @Option(names = "--json", paramLabel = "<file>", description = "Also write the results as JSON to this file.")
    Path json;

    @Option(names = {"-t", "--threads"}, paramLabel = "<n>", defaultValue = "1",
            description = "Threads the operations may use (over RNS limbs). Default: ${DEFAULT-VALUE} (single-threaded).")
    int threads;

    @Option(names = "--ops", split = ",", paramLabel = "<op>",
            description = "Comma-separated subset of operations (default: all).")
    List<String> ops;

    @Option(names = "--quick", description = "Short warm-up and few repetitions: a rough figure in seconds. With"
            + " --bootstrap: no warm-up bootstrap and one timed bootstrap.")
    boolean quick;

    @Option(names = "--cpu-time",
            description = "Time by the CPU time of the benchmarking thread instead of elapsed time: stable on a loaded"
                    + " or shared machine (time spent waiting for a core is not counted). Single-threaded only.")
    boolean cpuTime;

    @Option(names = "--reps", paramLabel = "<n>",
            description = "Exactly this many timed repetitions per operation (default: as many as fit about 3 s,"
                    + " 0.3 s with --quick). With --bootstrap: timed bootstraps (default 3, 1 with --quick).")
    Integer reps;

    @Override
    public Integer call() throws IOException {
        checkCommonOptions();
        return bootstrap ? benchBootstrap() : benchOperations();
    }

    private void checkCommonOptions() {
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        if (reps != null && reps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reps must be >= 1, got " + reps);
        }
        if (cpuTime && threads != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--cpu-time measures the calling thread only; use it with --threads 1");
        }
        if (cpuTime && !MicroBenchmark.Clock.cpuSupported()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "this JVM cannot measure thread CPU time");
        }
    }

    private int benchOperations() throws IOException {
        List<String> selected = selectedOperations();
        Parameters params;
        String name = paramSet == null ? DEFAULT_SET : paramSet;
        try {
            params = ParameterSets.byName(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        MicroBenchmark.Clock clock = cpuTime ? MicroBenchmark.Clock.CPU : MicroBenchmark.Clock.WALL;
        MicroBenchmark.Config config = quick ? MicroBenchmark.Config.quick() : MicroBenchmark.Config.standard();
        if (reps != null) {
            config = config.withReps(reps);
        }
        Parallelism par = Parallelism.threads(threads);
        Environment env = Environment.current();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Glovebox bench: %s%n", params);
        out.printf(Locale.ROOT, "%s, %d cores, %s, %d thread%s, %s time%s%n", env.cpu, env.cores, env.jvm, threads,
                threads == 1 ? "" : "s", cpuTime ? "CPU" : "wall-clock", quick ? ", quick" : "");
        out.printf(Locale.ROOT, "%-18s %12s %12s %12s %6s%n", "operation", "median us", "p10 us", "p90 us", "reps");
        out.flush();

        OperationBenchmarks bench = new OperationBenchmarks(params, par);
        Map<String, Stats> results = new LinkedHashMap<>();
        for (String op : selected) {
            Supplier<?> body = bench.prepare(op);
            System.gc();
            Stats s = MicroBenchmark.measure(body, config, clock);
            results.put(op, s);
            out.printf(Locale.ROOT, "%-18s %12.1f %12.1f %12.1f %6d%n", op, s.medianUs(), s.p10Us(), s.p90Us(),
                    s.reps());
            out.flush();
        }
        if (json != null) {
            writeJson(toJson(name, params, env, threads, quick, clock, results), out);
        }
        return 0;
    }

    private int benchBootstrap() throws IOException {
        if (ops != null && !ops.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ops selects operation benchmarks; it does not apply to --bootstrap");
        }
        String name = paramSet == null ? BootstrapParameterSets.DEFAULT : paramSet;
        BootstrappingParameters bp;
        try {
            bp = BootstrapParameterSets.byName(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        MicroBenchmark.Clock clock = cpuTime ? MicroBenchmark.Clock.CPU : MicroBenchmark.Clock.WALL;
        int runs = reps != null ? reps : quick ? 1 : 3;
        boolean warmUp = !quick;
        Environment env = Environment.current();
        double loadBefore = loadAverage();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Glovebox bench --bootstrap: %s%n", bp);
        if (bp.parameters().isInsecure()) {
            out.printf("WARNING: %s is an INSECURE test ring: its figures say nothing about real parameters%n", name);
        }
        out.printf(Locale.ROOT, "%s, %d cores, %s, %d thread%s, %s time, %d timed bootstrap%s, %s%n", env.cpu,
                env.cores, env.jvm, threads, threads == 1 ? "" : "s", cpuTime ? "CPU" : "wall-clock", runs,
                runs == 1 ? "" : "s", warmUp ? "after one untimed warm-up" : "no warm-up");
        out.flush();

        BootstrapBenchmark.Result r = new BootstrapBenchmark(bp, Parallelism.threads(threads), clock,
                spec.commandLine().getErr()).run(runs, warmUp);
        double loadAfter = loadAverage();

        Stats s = r.bootstrap();
        out.printf(Locale.ROOT, "%-18s %12s %12s %12s %6s%n", "operation", "median us", "p10 us", "p90 us", "reps");
        out.printf(Locale.ROOT, "%-18s %12.1f %12s %12s %6d%n", "bootstrap_keygen", r.keygenUs(), "", "", 1);
        out.printf(Locale.ROOT, "%-18s %12.1f %12.1f %12.1f %6d%n", "bootstrap", s.medianUs(), s.p10Us(), s.p90Us(),
                s.reps());
        out.printf(Locale.ROOT, "precision: %.2f bits mean, %.2f bits worst slot (%d slots x %d bootstraps);"
                + " output level %d%n", r.bitsMean(), r.bitsWorst(), bp.slots(), s.reps(), r.outputLevel());
        out.printf(Locale.ROOT, "keys: %d bytes in memory (%.2f GB), %d bytes serialized (%.2f GB)%n",
                r.keysBytes(), r.keysBytes() / 1e9, r.keysStoredBytes(), r.keysStoredBytes() / 1e9);
        if (loadAfter >= 0) {
            out.printf(Locale.ROOT, "load average (1 min): %.2f before, %.2f after%n", loadBefore, loadAfter);
        }
        out.flush();
        if (json != null) {
            writeJson(toBootstrapJson(name, bp, env, threads, quick, clock, r, loadBefore, loadAfter), out);
        }
        return 0;
    }

    private void writeJson(String content, PrintWriter out) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, content, StandardCharsets.UTF_8);
        out.printf("JSON written to %s%n", json);
        out.flush();
    }

    /** The system's 1-minute load average, or -1 where the platform does not report it. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private List<String> selectedOperations() {
        if (ops == null || ops.isEmpty()) {
            return OperationBenchmarks.OPERATIONS;
        }
        List<String> selected = new ArrayList<>();
        for (String op : ops) {
            String o = op.trim().toLowerCase(Locale.ROOT);
            if (o.isEmpty()) {
                continue;
            }
            if (!OperationBenchmarks.OPERATIONS.contains(o)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown operation '" + op
                        + "'; known: " + String.join(", ", OperationBenchmarks.OPERATIONS));
            }
            if (!selected.contains(o)) {
                selected.add(o);
            }
        }
        if (selected.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ops names no operation");
        }
        return selected;
    }

    /** Where the figures were measured. */
    record Environment(String jvm, int cores, String cpu, String os, String date) {
        static Environment current() {
            String jvm = System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                    + System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?") + ")";
            String os = System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "") + " "
                    + System.getProperty("os.arch", "");
            return new Environment(jvm, Runtime.getRuntime().availableProcessors(), cpuModel(), os.trim(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }

        private static String cpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        int colon = line.indexOf(':');
                        return line.substring(colon + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: fall through
            }
            return System.getProperty("os.arch", "unknown CPU");
        }
    }

    /**
     * Top-level keys: metadata, then one key per operation holding its median in microseconds, then
     * {@code "statistics"} with median/p10/p90/min/mean/reps per operation.
     */
    static String toJson(String name, Parameters params, Environment env, int threads, boolean quick,
            MicroBenchmark.Clock clock, Map<String, Stats> results) {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\n");
        field(b, "params", str(name));
        field(b, "parameters", str(params.toString()));
        field(b, "log_n", Integer.toString(params.logN()));
        field(b, "max_level", Integer.toString(params.maxLevel()));
        field(b, "special_primes", Integer.toString(params.specialPrimeCount()));
        field(b, "unit", str("microseconds (median)"));
        field(b, "clock", str(clock == MicroBenchmark.Clock.CPU ? "thread-cpu" : "wall"));
        field(b, "threads", Integer.toString(threads));
        field(b, "quick", Boolean.toString(quick));
        field(b, "jvm", str(env.jvm()));
        field(b, "cores", Integer.toString(env.cores()));
        field(b, "cpu", str(env.cpu()));
        field(b, "os", str(env.os()));
        field(b, "date", str(env.date()));
        for (Map.Entry<String, Stats> e : results.entrySet()) {
            field(b, e.getKey(), num(e.getValue().medianUs()));
        }
        b.append("  \"statistics\": {");
        boolean first = true;
        for (Map.Entry<String, Stats> e : results.entrySet()) {
            Stats s = e.getValue();
            b.append(first ? "\n" : ",\n");
            first = false;
            b.append("    ").append(str(e.getKey())).append(": {\"median\": ").append(num(s.medianUs()))
                    .append(", \"p10\": ").append(num(s.p10Us()))
                    .append(", \"p90\": ").append(num(s.p90Us()))
                    .append(", \"min\": ").append(num(s.minUs()))
                    .append(", \"mean\": ").append(num(s.meanUs()))
                    .append(", \"reps\": ").append(s.reps()).append('}');
        }
        b.append(first ? "}\n" : "\n  }\n");
        b.append("}\n");
        return b.toString();
    }

    /**
     * The bootstrapping benchmark in the style of {@link #toJson}: metadata, then {@code bootstrap} (median
     * microseconds), {@code bootstrap_bits_mean}, {@code bootstrap_bits_min}, {@code bootstrap_keygen} (microseconds),
     * {@code bootstrap_keys_bytes}, {@code bootstrap_keys_stored_bytes}, {@code bootstrap_setup} (microseconds),
     * {@code bootstrap_runs} (time and precision of each timed run) and {@code "statistics"} for the timed runs.
     */
    static String toBootstrapJson(String name, BootstrappingParameters bp, Environment env, int threads,
            boolean quick, MicroBenchmark.Clock clock, BootstrapBenchmark.Result r, double loadBefore,
            double loadAfter) {
        Parameters params = bp.parameters();
        Stats s = r.bootstrap();
        StringBuilder b = new StringBuilder(2048);
        b.append("{\n");
        field(b, "params", str(name));
        field(b, "parameters", str(params.toString()));
        field(b, "bootstrapping", str(bp.toString()));
        field(b, "insecure", Boolean.toString(params.isInsecure()));
        field(b, "log_n", Integer.toString(params.logN()));
        field(b, "slots", Integer.toString(bp.slots()));
        field(b, "max_level", Integer.toString(params.maxLevel()));
        field(b, "special_primes", Integer.toString(params.specialPrimeCount()));
        field(b, "input_level", Integer.toString(bp.inputLevel()));
        field(b, "output_level", Integer.toString(r.outputLevel()));
        field(b, "unit", str("microseconds (bootstrap: median of the timed runs; bootstrap_keygen and"
                + " bootstrap_setup: one run); precision in bits; sizes in bytes"));
        field(b, "clock", str(clock == MicroBenchmark.Clock.CPU ? "thread-cpu" : "wall"));
        field(b, "threads", Integer.toString(threads));
        field(b, "quick", Boolean.toString(quick));
        field(b, "warmup", Boolean.toString(r.warmedUp()));
        field(b, "jvm", str(env.jvm()));
        field(b, "cores", Integer.toString(env.cores()));
        field(b, "cpu", str(env.cpu()));
        field(b, "os", str(env.os()));
        field(b, "date", str(env.date()));
        field(b, "max_heap_bytes", Long.toString(Runtime.getRuntime().maxMemory()));
        if (loadAfter >= 0) {
            field(b, "load_average_before", num(loadBefore));
            field(b, "load_average_after", num(loadAfter));
        }
        field(b, "bootstrap", num(s.medianUs()));
        field(b, "bootstrap_bits_mean", num(r.bitsMean()));
        field(b, "bootstrap_bits_min", num(r.bitsWorst()));
        field(b, "bootstrap_keygen", num(r.keygenUs()));
        field(b, "bootstrap_keys_bytes", Long.toString(r.keysBytes()));
        field(b, "bootstrap_keys_stored_bytes", Long.toString(r.keysStoredBytes()));
        field(b, "bootstrap_setup", num(r.setupUs()));
        StringBuilder runs = new StringBuilder("[");
        for (int i = 0; i < r.runs().size(); i++) {
            BootstrapBenchmark.Run run = r.runs().get(i);
            runs.append(i == 0 ? "\n" : ",\n").append("    {\"us\": ").append(num(run.micros()))
                    .append(", \"bits_mean\": ").append(num(run.bitsMean()))
                    .append(", \"bits_min\": ").append(num(run.bitsWorst())).append('}');
        }
        field(b, "bootstrap_runs", runs.append("\n  ]").toString());
        b.append("  \"statistics\": {\n    \"bootstrap\": {\"median\": ").append(num(s.medianUs()))
                .append(", \"p10\": ").append(num(s.p10Us()))
                .append(", \"p90\": ").append(num(s.p90Us()))
                .append(", \"min\": ").append(num(s.minUs()))
                .append(", \"mean\": ").append(num(s.meanUs()))
                .append(", \"reps\": ").append(s.reps()).append("}\n  }\n");
        b.append("}\n");
        return b.toString();
    }

    private static void field(StringBuilder b, String key, String jsonValue) {
        b.append("  ").append(str(key)).append(": ").append(jsonValue).append(",\n");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
