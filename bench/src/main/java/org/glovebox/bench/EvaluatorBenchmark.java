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
 * Homomorphic evaluation on fresh top-level ciphertexts (all RNS limbs present, the most expensive case), single
 * threaded. Every operation allocates and returns a new ciphertext, as the public API does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class EvaluatorBenchmark {
    @Param({"N13", "N14", "N15"})
    public String params;

    private CkksFixture f;
    private Ciphertext product;
    private Ciphertext relinearized;

    @Setup
    public void setup() {
        f = new CkksFixture(params, true, new int[0], Parallelism.SERIAL);
        product = f.evaluator.multiply(f.ct1, f.ct2);
        relinearized = f.evaluator.relinearize(product);
    }

    @Benchmark
    public Ciphertext add() {
        return f.evaluator.add(f.ct1, f.ct2);
    }

    @Benchmark
    public Ciphertext multiply() {
        return f.evaluator.multiply(f.ct1, f.ct2);
    }

    @Benchmark
    public Ciphertext relinearize() {
        return f.evaluator.relinearize(product);
    }

    @Benchmark
    public Ciphertext rescale() {
        return f.evaluator.rescale(relinearized);
    }

    @Benchmark
    public Ciphertext multiply_plain() {
        return f.evaluator.multiplyPlain(f.ct1, f.pt);
    }

    @Benchmark
    public Ciphertext mul_relin_rescale() {
        return f.evaluator.multiplyRelinRescale(f.ct1, f.ct2);
    }
}
