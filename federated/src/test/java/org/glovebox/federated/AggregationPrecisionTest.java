package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.multiparty.KeyShareEncryptor;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.PartyId;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.Share;
import org.junit.jupiter.api.Test;

/**
 * The aggregation path end to end on the default secure ring (N = 2^12, one 60-bit prime), without the network: three
 * hospitals' compressed training uploads (a 10^4-parameter update with the evaluation counts in its free slots), the
 * coordinator's sum, compressed decryption shares with the study's smudging. The released update must match the
 * plaintext sum within the scheme's precision target, the evaluation counts must come back exactly, and the worst-case
 * update (all of its norm in one value) must not wrap around the modulus.
 */
class AggregationPrecisionTest {
    @Test
    void compressedUploadsAndSharesReleaseTheSumWithinThePrecisionTarget() throws Exception {
        releaseWithinTarget(false);
    }

    @Test
    void uploadsUnderKeySharesReleaseTheSumWithinThePrecisionTargetAtHalfTheBytes() throws Exception {
        releaseWithinTarget(true);
    }

    /** Public-key uploads, or uploads under the hospitals' key shares with the round's common masks. */
    private static void releaseWithinTarget(boolean keyShares) throws Exception {
        StudyDefinition study = StudyDefinition.parse("name: p\ncohort: example:edin\nhospitals: [a, b, c]\n"
                + "rounds: 5\nthreshold: 3\nclipNorm: 2\nmodel: {type: mlp, hidden: 909}\n");
        int modelSize = 10_000;
        AggregationScheme scheme = AggregationScheme.forStudy(study, modelSize);
        Parameters params = scheme.parameters();
        assertThat(params.n()).isEqualTo(4096);
        assertThat(params.isInsecure()).isFalse();
        // compression is on, and c_1 keeps more bits than c_0 (its rounding is multiplied by the secret)
        assertThat(scheme.c0Bits()).isLessThan(scheme.c1Bits());
        assertThat(scheme.c1Bits()).isLessThan(60);
        assertThat(scheme.shareBits()).isLessThan(scheme.c0Bits());
        assertThat(scheme.trainingChunks()).isEqualTo(3); // 10^4 + 816 values in 3 × 4096 slots
        double target = Math.scalb(scheme.updateRange(), -AggregationScheme.UPDATE_PRECISION_BITS);
        assertThat(scheme.slotNoise() / scheme.updateScale()).isLessThanOrEqualTo(target);

        Session session = Session.create(params, 3);
        List<SecretKeyShare> secrets = new ArrayList<>();
        PublicKeyGen gen = new PublicKeyGen(session);
        List<Share> pkShares = new ArrayList<>();
        for (PartyId p : session.parties()) {
            SecretKeyShare sk = SecretKeyShare.generate(params, p);
            secrets.add(sk);
            pkShares.add(new PublicKeyGen(session).generateShare(sk));
        }
        PublicKey pk = gen.finish(gen.aggregateShares(pkShares));
        Encryptor enc = Encryptor.withPublicKey(pk);

        // weighted updates (weights 1/3): two hospitals put all of the clip norm C into value 0 (the aggregate's
        // largest possible value, 2C/3 + ...), one a random direction of norm C
        double c = study.clipNorm();
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] updates = new double[3][modelSize];
        updates[0][0] = c / 3;
        updates[1][0] = c / 3;
        double norm = 0;
        for (int j = 0; j < modelSize; j++) {
            updates[2][j] = rnd.nextGaussian();
            norm += updates[2][j] * updates[2][j];
        }
        for (int j = 0; j < modelSize; j++) {
            updates[2][j] *= c / Math.sqrt(norm) / 3;
        }
        // evaluation counts near the largest the digits hold
        BigInteger limit = BigInteger.ONE.shiftLeft(scheme.digitBits() * AggregationScheme.EVAL_DIGITS - 4);
        BigInteger[][] counts = new BigInteger[3][AggregationScheme.EVAL_INTEGERS];
        BigInteger[] countSums = new BigInteger[AggregationScheme.EVAL_INTEGERS];
        java.util.Arrays.fill(countSums, BigInteger.ZERO);
        for (int h = 0; h < 3; h++) {
            for (int i = 0; i < AggregationScheme.EVAL_INTEGERS; i++) {
                counts[h][i] = new BigInteger(limit.bitLength() - 1, new java.util.Random(h * 1000 + i))
                        .subtract(limit.shiftRight(2));
                countSums[i] = countSums[i].add(counts[h][i]);
            }
        }

        // hospitals: compressed chunks; coordinator: validated, summed
        Object[] sums = new Object[scheme.trainingChunks()];
        long bytes = 0;
        for (int h = 0; h < 3; h++) {
            double[] values = scheme.trainingValues(updates[h],
                    scheme.integerDigits(counts[h], AggregationScheme.EVAL_DIGITS));
            KeyShareEncryptor ks = new KeyShareEncryptor(secrets.get(h));
            for (int k = 0; k < sums.length; k++) {
                byte[] chunk = keyShares
                        ? scheme.encodeKeyShareChunk(ks, AggregationScheme.uploadMaskSeed(session.id(), 1, 0, k), values,
                                k * scheme.valuesPerChunk(), scheme.updateScale())
                        : scheme.encodeChunk(enc, values, k * scheme.valuesPerChunk(), scheme.updateScale());
                bytes += chunk.length;
                sums[k] = scheme.add(sums[k], scheme.readChunk(chunk, scheme.updateScale()));
            }
        }
        assertThat(bytes / 3.0 / modelSize).isLessThan(keyShares ? 7 : 16);

        // decryption by all three with compressed shares (the aggregate itself travels at full width)
        double[] released = new double[sums.length * scheme.valuesPerChunk()];
        for (int k = 0; k < sums.length; k++) {
            // as the nodes do: shares of the mask, made and summed in coefficient form, c_0 from the sum of uploads
            Ciphertext agg = keyShares
                    ? scheme.keyShareAggregate(sums[k], AggregationScheme.uploadMaskSeed(session.id(), 1, 0, k))
                    : scheme.aggregateCiphertext(sums[k]);
            Ciphertext mask = scheme.readMask(scheme.maskToBytes(agg));
            KeySwitch ks = new KeySwitch(session, session.parties(), scheme.smudging());
            List<Share> shares = new ArrayList<>();
            for (SecretKeyShare sk : secrets) {
                byte[] b = scheme.shareToBytes(new KeySwitch(session, session.parties(), scheme.smudging())
                        .generateShareInCoefficientForm(sk, mask));
                shares.add(scheme.readShare(b, session));
            }
            double[] values = scheme.decrypt(agg, scheme.c0Coefficients(sums[k]), ks, ks.aggregateShares(shares));
            // the same values whether c_0 comes from the sum or is transformed back from the ciphertext
            assertThat(scheme.decrypt(agg, null, ks, ks.aggregateShares(shares))).containsExactly(values);
            System.arraycopy(values, 0, released, k * scheme.valuesPerChunk(), scheme.valuesPerChunk());
        }
        double[] update = scheme.updateOf(released);
        double sq = 0;
        double max = 0;
        for (int j = 0; j < modelSize; j++) {
            double expected = updates[0][j] + updates[1][j] + updates[2][j];
            double e = update[j] - expected;
            sq += e * e;
            max = Math.max(max, Math.abs(e));
        }
        double std = Math.sqrt(sq / modelSize);
        double predicted = scheme.slotNoise() / scheme.updateScale();
        System.out.printf((keyShares ? "key shares: " : "public key: ") + "released update error: std %.3g (predicted %.3g, target %.3g), max %.3g; widths c0 %d, c1 %d,"
                + " shares %d; %.2f bytes/parameter%n", std, predicted, target, max, scheme.c0Bits(), scheme.c1Bits(),
                scheme.shareBits(), bytes / 3.0 / modelSize);
        assertThat(std).isLessThanOrEqualTo(target);
        // the prediction is that of public-key uploads, the larger noise (the smudging is sized for it): key-share
        // uploads carry neither the compression of c_1 (times the secret) nor the fresh public-key noise
        assertThat(std / predicted).isBetween(keyShares ? 0.5 : 0.7, 1.3);
        assertThat(max).isLessThan(6 * target);
        assertThat(update[0]).isCloseTo(2 * c / 3 + updates[2][0], org.assertj.core.data.Offset.offset(6 * target));
        assertThat(scheme.integersFromDigits(scheme.evaluationDigitsOf(released), AggregationScheme.EVAL_INTEGERS,
                AggregationScheme.EVAL_DIGITS)).containsExactly(countSums);
    }
}
