package org.glovebox.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.CompressedCiphertextSum;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One federated upload chunk on the aggregation ring of the federated module (N = 2^12, one 60-bit prime, one 49-bit
 * special prime, the HE-standard 128-bit bound), at the widths a 3-hospital study of 10^4 parameters chooses (c_0 43
 * bits, c_1 50). The hospital's side: public-key encryption straight into the compressed format, through the special
 * prime ({@code encryptCompressed}) and over q alone ({@code encryptCompressedWithoutSpecialPrimes}). The
 * coordinator's side: the aggregate of three such uploads, each read as a ciphertext and added
 * ({@code sum3_read_and_add}), and summed in coefficient form ({@code sum3_coefficient_form},
 * {@code CompressedCiphertextSum}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class UploadChunkBenchmark {
    private static final int C0_BITS = 43;
    private static final int C1_BITS = 50;

    private Encoder encoder;
    private Encryptor encryptor;
    private double[] re;
    private double[] im;
    private double scale;
    private Parameters params;
    private Evaluator evaluator;
    private byte[][] uploads;

    @Setup
    public void setup() {
        Parameters p = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(40).build();
        KeyGenerator kg = new KeyGenerator(p);
        encoder = new Encoder(p);
        encryptor = Encryptor.withPublicKey(kg.generatePublicKey(kg.generateSecretKey()));
        SplittableRandom r = new SplittableRandom(1);
        re = new double[p.n() / 2];
        im = new double[p.n() / 2];
        for (int i = 0; i < re.length; i++) {
            re[i] = r.nextDouble(-0.01, 0.01);
            im[i] = r.nextDouble(-0.01, 0.01);
        }
        scale = 0x1p50;
        params = p;
        evaluator = new Evaluator(p);
        uploads = new byte[3][];
        for (int i = 0; i < uploads.length; i++) {
            uploads[i] = over_q_alone();
        }
    }

    @Benchmark
    public byte[] through_special_prime() {
        return encryptor.encryptCompressed(encoder, re, im, re.length, scale, C0_BITS, C1_BITS);
    }

    @Benchmark
    public byte[] over_q_alone() {
        return encryptor.encryptCompressedWithoutSpecialPrimes(encoder, re, im, re.length, scale, C0_BITS, C1_BITS);
    }

    @Benchmark
    public Ciphertext sum3_read_and_add() throws MalformedDataException {
        Ciphertext sum = null;
        for (byte[] u : uploads) {
            Ciphertext ct = Serialization.compressedCiphertextFromBytes(u, params, C0_BITS, C1_BITS);
            sum = sum == null ? ct : evaluator.add(sum, ct);
        }
        return sum;
    }

    @Benchmark
    public Ciphertext sum3_coefficient_form() throws MalformedDataException {
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, C0_BITS, C1_BITS);
        for (byte[] u : uploads) {
            sum.add(u);
        }
        return sum.toCiphertext();
    }
}
