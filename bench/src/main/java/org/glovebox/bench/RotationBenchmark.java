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
 * Rotation by one slot, and eight hoisted rotations (steps 1..8) sharing one decomposition, on a fresh top-level
 * ciphertext, single threaded. The Galois keys of steps 1..8 are built once in the setup (about 0.9 GB at N15).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx8g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class RotationBenchmark {
    @Param({"N13", "N14", "N15"})
    public String params;

    private CkksFixture f;

    @Setup
    public void setup() {
        f = new CkksFixture(params, false, CkksFixture.HOISTED_STEPS, Parallelism.SERIAL);
    }

    @Benchmark
    public Ciphertext rotate() {
        return f.evaluator.rotate(f.ct1, 1);
    }

    @Benchmark
    public Ciphertext[] rotate_hoisted() {
        return f.evaluator.rotateHoisted(f.ct1, CkksFixture.HOISTED_STEPS);
    }
}
