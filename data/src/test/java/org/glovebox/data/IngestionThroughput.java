package org.glovebox.data;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.glovebox.data.cohort.CohortDefinition;
import org.glovebox.data.cohort.CohortDefinitions;
import org.glovebox.data.fhir.FhirCohortReader;
import org.glovebox.data.fhir.FhirContexts;
import org.glovebox.data.fhir.FhirReadLimits;

/**
 * Measures FHIR ingestion throughput: reads a synthetic bulk export (every {@code fhir} folder under the given
 * directory) with the {@code synthetic-diabetes-fhir} cohort, once per requested number of parser threads, and prints
 * resources per second and the peak heap in use. Run it with a small heap ({@code -Xmx256m}) to show that reading
 * streams. Used by {@link IngestionThroughputTest}; figures are in docs/benchmarks.md.
 *
 * <p>Usage: {@code IngestionThroughput <export-dir> [parser-threads...]}
 */
public final class IngestionThroughput {

    private IngestionThroughput() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path root = Path.of(args[0]);
        List<Path> inputs;
        try (Stream<Path> walk = Files.walk(root)) {
            inputs = walk.filter(p -> p.getFileName().toString().equals("fhir") && Files.isDirectory(p)).sorted()
                    .toList();
        }
        long bytes = 0;
        for (Path in : inputs) {
            try (Stream<Path> files = Files.walk(in)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    bytes += Files.size(f);
                }
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        long t0 = System.nanoTime();
        FhirContexts.r4();
        System.out.printf(Locale.ROOT, "FhirContext created in %.1f s; input %,d MB of NDJSON; max heap %d MB;"
                + " %d processors; JVM %s%n", (System.nanoTime() - t0) / 1e9, bytes >> 20,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        CohortDefinition cohort = CohortDefinitions.example("synthetic-diabetes-fhir");
        int[] threads = args.length > 1 ? Stream.of(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {1};
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int t : threads) {
            peak.set(0);
            long cpu0 = os.getProcessCpuTime();
            CohortResult result = new FhirCohortReader(cohort, FhirReadLimits.DEFAULT.withParserThreads(t))
                    .read(inputs).build();
            IngestionStats s = result.report().ingestion();
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            long peakUsed = peak.get();
            // What stays reachable while the result is alive: the shared FhirContext and the matrix.
            System.gc();
            long retained = memory.getHeapMemoryUsage().getUsed();
            // On a shared machine wall-clock time depends on the neighbours; CPU time (all threads, GC included)
            // shows the cost of the work itself.
            System.out.printf(Locale.ROOT, "parser threads %d: %,d resources from %d files in %.1f s = %,.0f resources/s"
                    + " (%.1f MB/s); CPU %.1f s = %,.0f resources per CPU-second; %,d patients kept; peak heap in"
                    + " use %d MB, after GC %d MB; load average %.1f%n", t, s.totalRead(), s.files(),
                    s.elapsed().toNanos() / 1e9, s.recordsPerSecond(), bytes / 1e6 / (s.elapsed().toNanos() / 1e9),
                    cpuSeconds, s.totalRead() / cpuSeconds, result.report().kept(), peakUsed >> 20, retained >> 20,
                    os.getSystemLoadAverage());
        }
        sampler.interrupt();
        sampler.join();
    }
}
