package org.glovebox.bench;

import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Generation of the relinearization key and of one Galois key (rotation by one), single threaded. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class KeyGenBenchmark {
    @Param({"N13", "N14", "N15"})
    public String params;

    private KeyGenerator keyGen;
    private SecretKey sk;

    @Setup
    public void setup() {
        keyGen = new KeyGenerator(ParameterSets.byName(params));
        sk = keyGen.generateSecretKey();
    }

    @Benchmark
    public RelinearizationKey keygen_relin() {
        return keyGen.generateRelinearizationKey(sk);
    }

    @Benchmark
    public GaloisKeys keygen_galois() {
        return keyGen.generateGaloisKeys(sk, new int[] {1}, false);
    }
}
