package org.glovebox.ml.stats;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.SecretKey;

/**
 * The key holder's side of {@link EncryptedCrossProducts}: decrypts (flooded release decryption, or any slot
 * decryptor such as collective decryption) and unpacks the complex sums into {@link PairSums}:
 * with P = Σu_a u_b, C = Σu_a conj(u_b): Σx_a x_b = (Re P + Re C)/2, n_ab = (Re C - Re P)/2,
 * Σ x_a m_b = (Im P - Im C)/2, Σ m_a x_b = (Im P + Im C)/2; Σ x_a^2 m_b = Im(Σ|u_a|^2 u_b) - n_ab.
 */
public final class CrossProductDecryptor {
    private CrossProductDecryptor() {
    }

    public static CrossProducts decrypt(CrossProductResult result, SecretKey sk) {
        Decryptor dec = new Decryptor(sk);
        Encoder enc = new Encoder(sk.parameters());
        return decrypt(result, ct -> {
            double[][] v = enc.decodeComplex(dec.decryptForRelease(ct, Decryptor.DEFAULT_RELEASE_FLOOD_BITS));
            return new double[] {v[0][0], v[1][0]};
        });
    }

    /** @param firstSlot decrypts a ciphertext and returns {Re, Im} of its first slot */
    public static CrossProducts decrypt(CrossProductResult result, Function<Ciphertext, double[]> firstSlot) {
        Map<Long, PairSums> sums = new HashMap<>();
        for (CrossProductResult.Pair p : result.pairs()) {
            double[] prod = firstSlot.apply(p.product());
            double[] mixed = firstSlot.apply(p.mixed());
            double sumAB = (prod[0] + mixed[0]) / 2;
            long n = Math.round((mixed[0] - prod[0]) / 2);
            double sumA = (prod[1] - mixed[1]) / 2;
            double sumB = (prod[1] + mixed[1]) / 2;
            double sumAA;
            double sumBB;
            if (p.a() == p.b()) {
                sumAA = sumAB;
                sumBB = sumAB;
                sumA = sumB = (sumA + sumB) / 2;
            } else {
                sumAA = firstSlot.apply(p.squaresA())[1] - n;
                sumBB = firstSlot.apply(p.squaresB())[1] - n;
            }
            int a = Math.min(p.a(), p.b());
            int b = Math.max(p.a(), p.b());
            PairSums s = p.a() <= p.b() ? new PairSums(n, sumA, sumB, sumAB, sumAA, sumBB)
                    : new PairSums(n, sumB, sumA, sumAB, sumBB, sumAA);
            sums.put(CrossProducts.key(a, b), s);
        }
        return new CrossProducts(result.names(), sums);
    }
}
