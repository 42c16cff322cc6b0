package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearTransformTest {
    @Test
    void denseMatrixTimesVectorMatchesPlaintext() {
        Parameters params = TestSupport.smallParams();
        int slots = 64;
        SplittableRandom r = new SplittableRandom(7);
        double[][] m = new double[slots][slots];
        for (double[] row : m) {
            for (int j = 0; j < slots; j++) {
                row[j] = r.nextDouble(-1, 1) / 8;
            }
        }
        double[] x = TestSupport.randomValues(slots, 8);
        double[] expected = new double[slots];
        for (int i = 0; i < slots; i++) {
            for (int j = 0; j < slots; j++) {
                expected[i] += m[i][j] * x[j];
            }
        }
        LinearTransform lt = LinearTransform.fromMatrix(m);
        KeyGenerator kg = new KeyGenerator(params);
        SecretKey sk = kg.generateSecretKey();
        GaloisKeys gk = kg.generateGaloisKeys(sk, lt.rotationSteps(), false);
        Encoder enc = new Encoder(params);
        Evaluator ev = new Evaluator(params, null, gk);
        Ciphertext ct = Encryptor.withSecretKey(sk).encrypt(enc.encode(x, null, slots, params.maxLevel(),
                params.defaultScale()));
        Ciphertext out = lt.apply(ev, enc, ct);
        assertThat(out.level()).isEqualTo(ct.level() - 1);
        double[] got = enc.decode(new Decryptor(sk).decrypt(out));
        double bits = TestSupport.precisionBits(expected, got);
        assertThat(bits).isGreaterThanOrEqualTo(20);
        // BSGS: far fewer keys than one per diagonal.
        assertThat(lt.rotationSteps().length).isLessThan(slots / 2);
    }
}
