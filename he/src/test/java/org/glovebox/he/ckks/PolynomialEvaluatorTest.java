package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PolynomialEvaluatorTest {
    static Parameters params;
    static Encoder encoder;
    static Encryptor encryptor;
    static Decryptor decryptor;
    static Evaluator evaluator;

    @BeforeAll
    static void keys() {
        params = ParameterSets.n14();
        KeyGenerator kg = new KeyGenerator(params);
        SecretKey sk = kg.generateSecretKey();
        encoder = new Encoder(params);
        encryptor = Encryptor.withPublicKey(kg.generatePublicKey(sk));
        decryptor = new Decryptor(sk);
        evaluator = new Evaluator(params, kg.generateRelinearizationKey(sk), null);
    }

    private double precision(double[] x, ChebyshevPolynomial p, Ciphertext out) {
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = p.evaluate(x[i]);
        }
        return TestSupport.precisionBits(expected, encoder.decode(decryptor.decrypt(out)));
    }

    @Test
    void depthSixPolynomialKeepsAtLeast18Bits() {
        double[] x = TestSupport.randomValues(params.maxSlots(), 11);
        ChebyshevPolynomial p = ChebyshevPolynomial.interpolate(v -> Math.sin(3 * v) / 2 + 0.25 * v * v, 63, -1, 1);
        assertThat(p.depth()).isEqualTo(6);
        Ciphertext ct = encryptor.encrypt(encoder.encode(x));
        Ciphertext out = new PolynomialEvaluator(evaluator).evaluate(ct, p);
        assertThat(out.level()).isEqualTo(ct.level() - 6);
        assertThat(out.scale()).isEqualTo(ct.scale());
        double bits = precision(x, p, out);
        System.out.printf("depth-6 Chebyshev polynomial (degree 63) at N=2^14: %.2f bits%n", bits);
        assertThat(bits).isGreaterThanOrEqualTo(18);
    }

    @Test
    void sigmoidOnWideIntervalUsesOneExtraLevel() {
        double[] x = TestSupport.randomValues(params.maxSlots(), 12);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 8;
        }
        DoubleUnaryOperator sigmoid = v -> 1 / (1 + Math.exp(-v));
        ChebyshevPolynomial p = ChebyshevPolynomial.interpolate(sigmoid, 15, -8, 8);
        Ciphertext ct = encryptor.encrypt(encoder.encode(x));
        Ciphertext out = new PolynomialEvaluator(evaluator).evaluate(ct, p);
        assertThat(out.level()).isEqualTo(ct.level() - 5);
        assertThat(precision(x, p, out)).isGreaterThanOrEqualTo(18);
        // The approximation itself is close to the sigmoid on [-8, 8].
        for (double v = -8; v <= 8; v += 0.25) {
            assertThat(Math.abs(p.evaluate(v) - sigmoid.applyAsDouble(v))).isLessThan(1e-2);
        }
    }

    @Test
    void everyDegreeUpToSixteenMatchesPlaintext() {
        double[] x = TestSupport.randomValues(params.maxSlots(), 13);
        Ciphertext ct = encryptor.encrypt(encoder.encode(x));
        for (int d = 0; d <= 16; d++) {
            double[] c = TestSupport.randomValues(d + 1, 100 + d);
            ChebyshevPolynomial p = new ChebyshevPolynomial(c, -1, 1);
            Ciphertext out = new PolynomialEvaluator(evaluator).evaluate(ct, p);
            assertThat(out.level()).as("degree %d", d).isEqualTo(ct.level() - p.depth());
            double sumAbs = 0;
            for (double v : c) {
                sumAbs += Math.abs(v);
            }
            // Errors grow with the coefficients' magnitude: bound the error relative to Σ|c_i|. The largest error over
            // 8,192 slots varies by about ±0.5 bit from one fresh encryption to the next: over 25 encryptions the
            // margin above 20.5 − log2 Σ|c_i| went down to −0.05 bit at degree 14 (a test that failed about once in
            // 25 runs), so the bound keeps one bit for that spread.
            double bound = 19.5 - Math.log(sumAbs) / Math.log(2);
            assertThat(precision(x, p, out)).as("degree %d", d).isGreaterThanOrEqualTo(bound);
        }
    }

    @Test
    void refusesWhenLevelsRunOut() {
        Ciphertext ct = encryptor.encrypt(encoder.encode(new double[] {0.5}));
        ChebyshevPolynomial p = new ChebyshevPolynomial(new double[256], -1, 1);
        assertThatThrownBy(() -> new PolynomialEvaluator(evaluator).evaluate(ct, p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 8 levels");
    }

    @Test
    void plaintextTwinMatchesDirectSum() {
        double[] c = {0.3, -0.2, 0.5, 0.1};
        ChebyshevPolynomial p = new ChebyshevPolynomial(c, -2, 4);
        for (double x = -2; x <= 4; x += 0.5) {
            double y = (2 * x - 2) / 6;
            double direct = c[0] + c[1] * y + c[2] * (2 * y * y - 1) + c[3] * (4 * y * y * y - 3 * y);
            assertThat(p.evaluate(x)).isCloseTo(direct, org.assertj.core.data.Offset.offset(1e-12));
        }
    }
}
