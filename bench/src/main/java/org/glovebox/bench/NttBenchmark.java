package org.glovebox.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.math.Ntt;
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
 * NTT of one RNS limb (the 40-bit prime q_1 of the chain). The transforms work in place; every variant is
 * branch-free, so transforming the same array over and over costs the same as transforming fresh data:
 * forward and inverse keep values in [0, q), and the lazy forward transform maps [0, 4q) into [0, 4q) (its first
 * butterfly step folds inputs below 4q), so no per-call copy is needed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class NttBenchmark {
    @Param({"N13", "N14", "N15"})
    public String params;

    private Ntt ntt;
    private long[] limb;

    @Setup
    public void setup() {
        var p = ParameterSets.byName(params);
        ntt = p.ringQ().ntt(1);
        long q = p.q(1);
        SplittableRandom r = new SplittableRandom(1);
        limb = new long[p.n()];
        for (int i = 0; i < limb.length; i++) {
            limb[i] = r.nextLong(q);
        }
    }

    @Benchmark
    public long[] ntt_forward() {
        ntt.forward(limb);
        return limb;
    }

    @Benchmark
    public long[] ntt_forward_lazy() {
        ntt.forwardLazy(limb);
        return limb;
    }

    @Benchmark
    public long[] ntt_inverse() {
        ntt.inverse(limb);
        return limb;
    }
}
