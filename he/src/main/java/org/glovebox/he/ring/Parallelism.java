package org.glovebox.he.ring;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How many threads the ring operations may use when work splits over independent RNS limbs.
 *
 * <p>{@link #SERIAL} runs everything on the caller's thread (the default, and what benchmarks call single-threaded).
 * A parallel instance owns a dedicated fork-join pool so library work never competes with the application's common
 * pool; there is one instance per thread count for the life of the JVM (its idle workers are daemon threads that
 * retire after a minute), so asking for the same count again costs nothing. Results are identical whatever the
 * setting.
 */
public final class Parallelism {
    /** Everything on the calling thread. */
    public static final Parallelism SERIAL = new Parallelism(1);

    private static final java.util.concurrent.ConcurrentHashMap<Integer, Parallelism> SHARED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final int threads;
    private final ForkJoinPool pool;

    private Parallelism(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    /** Up to {@code threads} threads (1 means serial). */
    public static Parallelism threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return threads == 1 ? SERIAL : SHARED.computeIfAbsent(threads, Parallelism::new);
    }

    /** One thread per available processor. */
    public static Parallelism allProcessors() {
        return threads(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} for every index in [0, count), in parallel when this instance allows it. */
    public void forEach(int count, IntConsumer body) {
        if (pool == null || count < 2) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
    }

    @Override
    public String toString() {
        return threads == 1 ? "serial" : threads + " threads";
    }
}
