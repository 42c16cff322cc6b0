package org.glovebox.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading the input amounted to: files and records read per type, records skipped per reason with a few located
 * examples, and how long it took. Counts and locations only, never values.
 *
 * @param files    number of files read
 * @param read     records read per type ({@code Patient}, {@code Observation}, ..., or {@code csv record})
 * @param skipped  records skipped per reason
 * @param examples the first few skipped records' locations and reasons
 * @param elapsed  wall-clock time spent reading
 */
public record IngestionStats(long files, Map<String, Long> read, Map<String, Long> skipped, List<String> examples,
        Duration elapsed) {

    /** How many located examples of skipped input are kept. */
    public static final int MAX_EXAMPLES = 20;

    public IngestionStats {
        read = Collections.unmodifiableMap(new TreeMap<>(read));
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        examples = List.copyOf(examples);
    }

    /** Total number of records (resources or CSV records) read. */
    public long totalRead() {
        return read.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total number of records skipped. */
    public long totalSkipped() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records read per second of wall-clock time. */
    public double recordsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : totalRead() / seconds;
    }

    /** Collects the counts while input is read; not thread-safe. */
    public static final class Recorder {
        private final long startNanos = System.nanoTime();
        private long files;
        private final Map<String, Long> read = new TreeMap<>();
        private final Map<String, Long> skipped = new LinkedHashMap<>();
        private final List<String> examples = new ArrayList<>();

        /** Counts one more file. */
        public void file() {
            files++;
        }

        /** Counts one record of the given type. */
        public void read(String type) {
            read.merge(type, 1L, Long::sum);
        }

        /** Counts one skipped record and keeps its location as an example while there are few. */
        public void skipped(String reason, SourceLocation where) {
            skipped.merge(reason, 1L, Long::sum);
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(where + ": " + reason);
            }
        }

        /** The counts so far. */
        public IngestionStats finish() {
            return new IngestionStats(files, read, skipped, examples, Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }
}
