package org.glovebox.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.junit.jupiter.api.Test;

/** The Java example of the README, verbatim, so it keeps compiling and keeps its promise. */
class ReadmeExampleTest {
    @Test
    void readmeExampleComputesWhatItSays() {
        Parameters params = ParameterSets.n14();                   // N = 2^14, 128-bit secure, scale 2^40
        KeyGenerator keygen = new KeyGenerator(params);
        SecretKey sk = keygen.generateSecretKey();
        Encoder encoder = new Encoder(params);
        Encryptor encryptor = Encryptor.withPublicKey(keygen.generatePublicKey(sk));
        Evaluator evaluator = new Evaluator(params, keygen.generateRelinearizationKey(sk),
                keygen.generateGaloisKeys(sk, new int[] {1}, false));
        Decryptor decryptor = new Decryptor(sk);

        Ciphertext x = encryptor.encrypt(encoder.encode(new double[] {0.5, -1.25, 2.0}));
        Ciphertext y = evaluator.multiplyRelinRescale(x, x);        // x^2, slot-wise
        Ciphertext z = evaluator.rotate(y, 1);                      // slots shifted left by one
        double[] result = encoder.decode(decryptor.decrypt(z));     // ≈ {1.5625, 4.0, 0, ..., 0.25}

        assertThat(result[0]).isCloseTo(1.5625, offset(1e-6));
        assertThat(result[1]).isCloseTo(4.0, offset(1e-6));
        assertThat(result[2]).isCloseTo(0.0, offset(1e-6));
        assertThat(result[result.length - 1]).isCloseTo(0.25, offset(1e-6));
    }
}
