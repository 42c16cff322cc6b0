package org.glovebox.bench;

import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ring.Parallelism;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Speed-up of {@code Evaluator.withParallelism(Parallelism.threads(n))}: the same operations with 1 and 2 threads;
 * speed-up = time(threads=1) / time(threads=2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class ParallelBenchmark {
    @Param({"N14", "N15"})
    public String params;

    @Param({"1", "2"})
    public int threads;

    private CkksFixture f;

    @Setup
    public void setup() {
        f = new CkksFixture(params, true, new int[] {1}, Parallelism.threads(threads));
    }

    @Benchmark
    public Ciphertext par_mul_relin_rescale() {
        return f.evaluator.multiplyRelinRescale(f.ct1, f.ct2);
    }

    @Benchmark
    public Ciphertext par_rotate() {
        return f.evaluator.rotate(f.ct1, 1);
    }
}
