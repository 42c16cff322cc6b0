package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glovebox.he.ckks.ChebyshevPolynomial;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecretKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChebyshevEvaluatorTest {
    private static Parameters params;
    private static Evaluator ev;
    private static Encoder encoder;
    private static Encryptor encryptor;
    private static Decryptor decryptor;

    @BeforeAll
    static void keys() {
        int[] q = new int[9];
        java.util.Arrays.fill(q, 50);
        q[0] = 58;
        params = Parameters.builder().logN(10).primeBits(q, new int[] {60, 60}).logScale(50)
                .insecureForTestingOnly().build();
        KeyGenerator kg = new KeyGenerator(params);
        SecretKey sk = kg.generateSecretKey();
        ev = new Evaluator(params, kg.generateRelinearizationKey(sk), null);
        encoder = new Encoder(params);
        encryptor = Encryptor.withSecretKey(sk);
        decryptor = new Decryptor(sk);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 23, 31, 32, 63, 100, 255})
    void matchesThePlaintextSeriesAtOptimalDepthAndRequestedScale(int degree) {
        SplittableRandom r = new SplittableRandom(degree);
        double[] c = new double[degree + 1];
        for (int i = 0; i <= degree; i++) {
            c[i] = r.nextDouble(-1, 1) / (1 + i);
        }
        ChebyshevPolynomial p = new ChebyshevPolynomial(c, -1, 1);
        int n = params.maxSlots();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        Ciphertext ct = encryptor.encrypt(encoder.encode(x, params.maxLevel(), params.defaultScale()));
        double outScale = Math.scalb(1.0, 47);
        int depth = ChebyshevEvaluator.depth(degree);
        if (depth > params.maxLevel()) {
            return;
        }
        Ciphertext out = new ChebyshevEvaluator(ev).evaluate(ct, p, outScale);
        assertEquals(params.maxLevel() - depth, out.level());
        assertEquals(outScale, out.scale(), 0);
        double[] got = encoder.decode(decryptor.decrypt(out));
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(got[i] - p.evaluate(x[i])));
        }
        assertTrue(worst < 1e-7, "degree " + degree + ": error " + worst);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 15, 31, 63})
    void usesFewerProductsThanDegreeOneLeaves(int degree) {
        int products = ChebyshevEvaluator.products(degree);
        // splitting to degree-1 leaves takes (degree + 1)/2 - 1 splits plus log2(degree + 1) - 1 powers
        int naive = (degree + 1) / 2 - 1 + Integer.numberOfTrailingZeros(degree + 1) - 1;
        System.out.printf("degree %d: %d products (degree-1 leaves: %d)%n", degree, products, naive);
        assertTrue(products <= naive, products + " > " + naive);
        if (degree >= 15) {
            assertTrue(products < naive, products + " >= " + naive);
        }
    }
}
