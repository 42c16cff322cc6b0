package org.glovebox.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.math.SpecialFft;
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
 * The CKKS special FFT alone ({@link SpecialFft}), the encoder's interpolation ({@code inverse}) and the decoder's
 * evaluation ({@code forward}), for full packing at N = 2^12, 2^13, 2^14 and 2^15 (2048 … 16384 complex slots).
 * Each call transforms a fresh copy of the same random slots (the copy is part of the measured time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class SpecialFftBenchmark {
    @Param({"2048", "4096", "8192", "16384"})
    public int slots;

    private SpecialFft fft;
    private double[] re;
    private double[] im;
    private double[] workRe;
    private double[] workIm;

    @Setup
    public void setup() {
        fft = new SpecialFft(slots);
        SplittableRandom r = new SplittableRandom(1);
        re = new double[slots];
        im = new double[slots];
        for (int i = 0; i < slots; i++) {
            re[i] = r.nextDouble(-1, 1);
            im[i] = r.nextDouble(-1, 1);
        }
        workRe = new double[slots];
        workIm = new double[slots];
    }

    @Benchmark
    public double[] inverse() {
        System.arraycopy(re, 0, workRe, 0, slots);
        System.arraycopy(im, 0, workIm, 0, slots);
        fft.inverse(workRe, workIm);
        return workRe;
    }

    @Benchmark
    public double[] forward() {
        System.arraycopy(re, 0, workRe, 0, slots);
        System.arraycopy(im, 0, workIm, 0, slots);
        fft.forward(workRe, workIm);
        return workRe;
    }
}
