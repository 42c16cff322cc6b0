package org.glovebox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.MultipartySerialization;
import org.glovebox.he.multiparty.ProtocolType;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.multiparty.Smudging;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsPoly;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The decryption of one federated aggregate chunk on the aggregation ring of the federated module (N = 2^12, one
 * 60-bit prime; flooding noise σ_f = 2^26.2 and shares compressed to 34 bits, as a 3-hospital study of 10^4
 * parameters over 40 rounds chooses). A hospital's side: its share of the mask (0, c_1), compressed for transport,
 * made in the NTT domain ({@code share_ntt_domain}: the noise transformed in, the sum transformed back for
 * compression) or in coefficient form ({@code share_coefficient_form}: c_1·s_i transformed back, the noise added as
 * sampled). The coordinator's side, for three shares: read, summed, added to c_0 and decoded, in the NTT domain
 * ({@code combine3_ntt_domain}) or in coefficient form ({@code combine3_coefficient_form}). Every share is made in a
 * fresh session (the guard refuses a second share of the same input), as in {@link MultipartyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
public class DecryptionShareBenchmark {
    private static final int SHARE_BITS = 34;

    private Parameters params;
    private Encoder encoder;
    private Session template;
    private Smudging smudging;
    private SecretKeyShare secret;
    private Ciphertext mask;
    private RnsPoly c0Ntt;
    private RnsPoly c0Coefficients;
    private byte[][] shares;

    @Setup
    public void setup() {
        params = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(40).build();
        encoder = new Encoder(params);
        KeyGenerator kg = new KeyGenerator(params);
        double[] v = new double[params.n() / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i);
        }
        Ciphertext ct = Encryptor.withPublicKey(kg.generatePublicKey(kg.generateSecretKey()))
                .encrypt(encoder.encode(v, 0, 0x1p40));
        mask = ProtocolAccess.ciphertext(params, new RnsPoly[] {params.ringQ().newPoly(1),
                ProtocolAccess.ciphertextPart(ct, 1)}, 0, ct.scale(), ct.slots());
        c0Ntt = ProtocolAccess.ciphertextPart(ct, 0);
        c0Coefficients = c0Ntt.copy();
        params.ringQ().intt(c0Coefficients, Parallelism.SERIAL);
        template = Session.create(params, 3);
        smudging = Smudging.withStandardDeviation(Math.scalb(1.0, 26) * 1.16);
        secret = SecretKeyShare.generate(params, template.party(0));
        shares = new byte[3][];
        for (int i = 0; i < 3; i++) {
            SecretKeyShare sk = SecretKeyShare.generate(params, template.party(i));
            shares[i] = MultipartySerialization.toCompressedBytes(
                    new KeySwitch(template, template.parties(), smudging).generateShareInCoefficientForm(sk, mask),
                    SHARE_BITS);
        }
    }

    private KeySwitch freshRun() {
        return new KeySwitch(MultipartyBenchmark.freshSession(template), template.parties(), smudging);
    }

    @Benchmark
    public byte[] share_ntt_domain() {
        return MultipartySerialization.toCompressedBytes(freshRun().generateShare(secret, mask), SHARE_BITS);
    }

    @Benchmark
    public byte[] share_coefficient_form() {
        return MultipartySerialization.toCompressedBytes(freshRun().generateShareInCoefficientForm(secret, mask),
                SHARE_BITS);
    }

    @Benchmark
    public double[][] combine3_ntt_domain() throws MalformedDataException {
        KeySwitch ks = new KeySwitch(template, template.parties(), smudging);
        List<Share> read = new ArrayList<>();
        for (byte[] b : shares) {
            read.add(MultipartySerialization.compressedShareFromBytes(b, template, ProtocolType.KEY_SWITCH, 1,
                    SHARE_BITS));
        }
        RnsPoly m = ProtocolAccess.plaintextPoly(ks.finishDecryption(mask, ks.aggregateShares(read)));
        RnsPoly sum = params.ringQ().newPoly(1);
        params.ringQ().add(m, c0Ntt, sum);
        return encoder.decodeComplex(ProtocolAccess.plaintext(params, sum, 0, mask.scale(), mask.slots()));
    }

    @Benchmark
    public double[][] combine3_coefficient_form() throws MalformedDataException {
        KeySwitch ks = new KeySwitch(template, template.parties(), smudging);
        List<Share> read = new ArrayList<>();
        for (byte[] b : shares) {
            read.add(MultipartySerialization.compressedShareCoefficientsFromBytes(b, template,
                    ProtocolType.KEY_SWITCH, 1, SHARE_BITS));
        }
        RnsPoly m = ks.combinedSharesInCoefficientForm(mask, ks.aggregateShares(read));
        params.ringQ().add(m, c0Coefficients, m);
        return encoder.decodeComplexFromCoefficients(m, mask.scale(), mask.slots());
    }
}
