package org.glovebox.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * A small timing harness for operations that take from microseconds to seconds, for use where JMH is too heavy
 * (the CLI). Each measurement warms the operation up (a minimum number of calls and a minimum time, so the JIT has
 * compiled the hot loops), sizes the number of repetitions from the warm-up time so the timed phase lasts about
 * {@link Config#targetNanos}, then times every call separately with {@link System#nanoTime()}. Results are kept
 * reachable through a volatile sink so the JIT cannot drop the work. Single-threaded: the measured operation decides
 * its own parallelism.
 */
public final class MicroBenchmark {
    /** Keeps results reachable so calls are not optimised away. */
    private static volatile Object sink;

    /** What the timed phase reads. */
    public enum Clock {
        /** Elapsed time, {@link System#nanoTime()}: what a user waits. */
        WALL,
        /**
         * CPU time of the calling thread: excludes time spent waiting for a core, so it stays meaningful on a
         * loaded or shared machine; only for single-threaded operations (worker threads are not counted).
         */
        CPU;

        /** True if this JVM can measure the current thread's CPU time. */
        public static boolean cpuSupported() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            return mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
        }

        /** This clock's current reading in nanoseconds; only differences taken on one thread are meaningful. */
        public long nanos() {
            return this == CPU ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    /**
     * @param minWarmupCalls calls before timing starts (at least)
     * @param warmupNanos time spent warming up (at least)
     * @param minReps timed calls (at least)
     * @param maxReps timed calls (at most)
     * @param targetNanos wanted duration of the timed phase (between minReps and maxReps calls)
     */
    public record Config(int minWarmupCalls, long warmupNanos, int minReps, int maxReps, long targetNanos) {
        public Config {
            if (minWarmupCalls < 0 || warmupNanos < 0 || minReps < 1 || maxReps < minReps || targetNanos < 0) {
                throw new IllegalArgumentException("invalid benchmark configuration");
            }
        }

        /** About 2 s warm-up and 3 s of timed calls per operation (11 to 2000 calls). */
        public static Config standard() {
            return new Config(5, 2_000_000_000L, 11, 2000, 3_000_000_000L);
        }

        /** About 0.2 s warm-up and 0.3 s of timed calls per operation (5 to 200 calls): a rough figure quickly. */
        public static Config quick() {
            return new Config(2, 200_000_000L, 5, 200, 300_000_000L);
        }

        /** The same warm-up with exactly {@code reps} timed calls. */
        public Config withReps(int reps) {
            return new Config(minWarmupCalls, warmupNanos, reps, reps, targetNanos);
        }
    }

    private MicroBenchmark() {
    }

    /** Warms up, then times {@code body} repeatedly by wall-clock time; returns the summary in microseconds. */
    public static Stats measure(Supplier<?> body, Config config) {
        return measure(body, config, Clock.WALL);
    }

    /** Warms up, then times {@code body} repeatedly with the given clock; returns the summary in microseconds. */
    public static Stats measure(Supplier<?> body, Config config, Clock clock) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = clock == Clock.CPU;
        if (cpu && !Clock.cpuSupported()) {
            throw new UnsupportedOperationException("this JVM cannot measure thread CPU time");
        }
        long start = System.nanoTime();
        long last = 0;
        int calls = 0;
        while (calls < config.minWarmupCalls() || System.nanoTime() - start < config.warmupNanos()) {
            long t0 = System.nanoTime();
            sink = body.get();
            last = System.nanoTime() - t0;
            calls++;
        }
        long perCall = Math.max(1, calls == 0 ? 0 : last);
        long wanted = config.targetNanos() / perCall;
        int reps = (int) Math.max(config.minReps(), Math.min(config.maxReps(), wanted));
        long[] times = new long[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            Object r = body.get();
            times[i] = (cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - t0;
            sink = r;
        }
        sink = null;
        return Stats.ofNanos(times);
    }
}
