package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * Two real ciphertexts bootstrapped at once ({@link Bootstrapper#bootstrapPair}) and computation on the
 * {@link BootstrappingParameters#computationParameters() computation chain}, against the plaintext values.
 */
class BootstrapPairTest {

    private static double[] uniform(int n, double bound, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-bound, bound);
        }
        return v;
    }

    /** -log2 of the largest absolute error. */
    private static double worstBits(double[] expected, double[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return -Math.log(max) / Math.log(2);
    }

    @Test
    void pairOfRealCiphertextsComesBackSeparatedWithinTheBound() {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        int n = f.bp.slots();
        int bound = 4;
        double[] a = uniform(n, bound, 41);
        double[] b = uniform(n, bound, 42);
        int level = f.bp.inputLevel();
        Ciphertext ca = f.encryptor.encrypt(f.encoder.encode(a, null, n, level + 1, f.params.defaultScale()));
        Ciphertext cb = f.encryptor.encrypt(f.encoder.encode(b, null, n, level, f.params.defaultScale()));
        Ciphertext[] out = f.bootstrapper.bootstrapPair(ca, cb, bound);
        for (Ciphertext c : out) {
            assertEquals(f.bp.outputLevel(), c.level());
            assertEquals(f.params.defaultScale(), c.scale(), 0);
        }
        double[][] ra = f.decrypt(out[0]);
        double[][] rb = f.decrypt(out[1]);
        double bitsA = worstBits(a, ra[0]);
        double bitsB = worstBits(b, rb[0]);
        System.out.printf("[bootstrap pair] bound %d: worst %.1f / %.1f bits (absolute)%n", bound, bitsA, bitsB);
        // One bootstrap of values |a + ib|/(2·4) < 0.71 keeps about 18.5 worst-slot bits on this ring; the bound 4 costs 2 of them.
        assertTrue(bitsA >= 14, "a: " + bitsA);
        assertTrue(bitsB >= 14, "b: " + bitsB);
        // The imaginary parts stay empty: nothing of b leaks into a's slots and vice versa.
        assertTrue(worstBits(new double[n], ra[1]) >= 11);
        assertTrue(worstBits(new double[n], rb[1]) >= 11);
    }

    @Test
    void computationChainCiphertextsAreBootstrappedOnTheirOwnParameters() {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        Parameters comp = f.bp.computationParameters();
        assertEquals(f.bp.outputLevel(), comp.maxLevel());
        for (int j = 0; j <= comp.maxLevel(); j++) {
            assertEquals(f.params.q(j), comp.q(j));
        }
        SecretKey csk = BootstrappingKeys.computationSecretKey(f.bp, f.sk);
        assertTrue(csk.parameters().sameAs(comp));
        Encoder enc = new Encoder(comp);
        Encryptor encryptor = Encryptor.withSecretKey(csk);
        int n = f.bp.slots();
        double[] a = uniform(n, 1, 43);
        double[] b = uniform(n, 1, 44);
        Ciphertext ca = encryptor.encrypt(enc.encode(a, null, n, f.bp.inputLevel(), comp.defaultScale()));
        Ciphertext cb = encryptor.encrypt(enc.encode(b, null, n, comp.maxLevel(), comp.defaultScale()));

        Ciphertext single = f.bootstrapper.bootstrap(ca);
        assertTrue(single.parameters().sameAs(comp));
        Ciphertext[] pair = f.bootstrapper.bootstrapPair(ca, cb, 1);
        Decryptor dec = new Decryptor(csk);
        double singleBits = worstBits(a, enc.decodeComplex(dec.decrypt(single))[0]);
        double pairA = worstBits(a, enc.decodeComplex(dec.decrypt(pair[0]))[0]);
        double pairB = worstBits(b, enc.decodeComplex(dec.decrypt(pair[1]))[0]);
        System.out.printf("[bootstrap computation chain] single %.1f, pair %.1f / %.1f worst bits%n", singleBits,
                pairA, pairB);
        assertTrue(singleBits >= 17, "single: " + singleBits);
        assertTrue(pairA >= 16 && pairB >= 16, pairA + " / " + pairB);

        SecretKey back = BootstrappingKeys.computationSecretKey(f.bp, csk);
        assertTrue(back.parameters().sameAs(f.params));
        csk.destroy();
        back.destroy();
    }

    @Test
    void refusesMismatchedInputs() {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        int n = f.bp.slots();
        double[] a = uniform(n, 1, 45);
        Ciphertext ca = f.encryptor.encrypt(f.encoder.encode(a, null, n, f.bp.inputLevel(), f.params.defaultScale()));
        Ciphertext other = f.encryptor.encrypt(f.encoder.encode(a, null, n, f.bp.inputLevel(),
                f.params.defaultScale() * 2));
        assertThrows(IllegalArgumentException.class, () -> f.bootstrapper.bootstrapPair(ca, ca, 0));
        assertThrows(IllegalArgumentException.class, () -> f.bootstrapper.bootstrapPair(ca, other, 1));
        BootstrapFixture g = BootstrapFixture.tiny();
        Ciphertext foreign = g.encryptor.encrypt(g.encoder.encode(new double[g.bp.slots()], null, g.bp.slots(),
                g.bp.inputLevel(), g.params.defaultScale()));
        assertThrows(IllegalArgumentException.class, () -> f.bootstrapper.bootstrapPair(ca, foreign, 1));
        assertThrows(IllegalArgumentException.class, () -> f.bootstrapper.bootstrap(foreign));
    }
}
