package org.glovebox.bench;

import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Plaintext;
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

/** Encoding, decoding, encryption and decryption of a full-slot vector at the top level (no evaluation keys). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g", "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages"})
public class EncodingBenchmark {
    @Param({"N13", "N14", "N15"})
    public String params;

    private CkksFixture f;

    @Setup
    public void setup() {
        f = new CkksFixture(params, false, new int[0], Parallelism.SERIAL);
    }

    @Benchmark
    public Plaintext encode() {
        return f.encoder.encode(f.values);
    }

    @Benchmark
    public double[] decode() {
        return f.encoder.decode(f.pt);
    }

    @Benchmark
    public Ciphertext encrypt_pk() {
        return f.encryptorPk.encrypt(f.pt);
    }

    @Benchmark
    public Ciphertext encrypt_sk() {
        return f.encryptorSk.encrypt(f.pt);
    }

    @Benchmark
    public Plaintext decrypt() {
        return f.decryptor.decrypt(f.ct1);
    }
}
