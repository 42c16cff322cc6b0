package org.glovebox.ml.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.SecretKey;

/** The data owner's side of scoring: decrypts the logits (flooded release decryption by default). */
public final class ScoreDecryptor {
    private ScoreDecryptor() {
    }

    public static double[] decrypt(EncryptedScores scores, SecretKey sk) {
        Decryptor dec = new Decryptor(sk);
        Encoder enc = new Encoder(sk.parameters());
        return decrypt(scores, ct -> enc.decode(dec.decryptForRelease(ct, Decryptor.DEFAULT_RELEASE_FLOOD_BITS)));
    }

    public static double[] decrypt(EncryptedScores scores, Function<Ciphertext, double[]> decryptSlots) {
        List<double[]> slots = new ArrayList<>();
        for (Ciphertext ct : scores.ciphertexts()) {
            slots.add(decryptSlots.apply(ct));
        }
        return scores.extract(slots);
    }

    public static double probability(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
