package org.glovebox.he.ring;

/**
 * Standard normal deviates by the ziggurat method of Marsaglia and Tsang (2000), in the form Doornik (2005) gives for
 * double precision: 128 layers of equal area V under the density f(x) = exp(−x²/2), the layer chosen by 7 bits and the
 * position by 53 other bits of the same random word (so the two are independent), the wedges accepted by comparing
 * with f, and the tail beyond R sampled exactly by Marsaglia's method. About 99 % of the deviates cost one random word,
 * one multiplication and one comparison, against a logarithm, a square root, a sine and a cosine per pair for
 * Box–Muller; the distribution is the same, N(0, 1) up to the double-precision granularity of the uniforms.
 *
 * <p>Timing depends on the rejections (it does not depend on any key); the samplers use it for flooding noise, whose
 * values are secret but whose sampling time reveals no more than the number of rejections.
 */
final class NormalZiggurat {
    /** Number of layers (a power of two: the layer index is the low bits of the random word). */
    static final int LAYERS = 128;
    /** Right edge of the base layer: deviates beyond it come from the tail sampler. */
    static final double R = 3.442619855899;
    /** Area of every layer (the base layer: the rectangle [0, R] × [0, f(R)] plus the tail beyond R). */
    static final double V = 9.91256303526217e-3;

    /**
     * Layer edges: X[i] the right edge of layer i (X[0] = V/f(R), the width of a rectangle of the base layer's area),
     * decreasing to X[LAYERS] = 0 at the top.
     */
    static final double[] X = new double[LAYERS + 1];
    /** X[i + 1] / X[i]: a position |u| below it lies inside the next layer's edge, under the density for sure. */
    private static final double[] INSIDE = new double[LAYERS];

    static {
        double f = Math.exp(-0.5 * R * R);
        X[0] = V / f;
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) {
            // layer i − 1 spans f(X[i−1]) ≤ y ≤ f(X[i]) with width X[i−1]: X[i−1]·(f(X[i]) − f(X[i−1])) = V
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
            f = Math.exp(-0.5 * X[i] * X[i]);
        }
        X[LAYERS] = 0;
        for (int i = 0; i < LAYERS; i++) {
            INSIDE[i] = X[i + 1] / X[i];
        }
    }

    private NormalZiggurat() {
    }

    /** One N(0, 1) deviate. */
    static double next(Prng prng) {
        while (true) {
            long bits = prng.nextLong();
            int i = (int) (bits & (LAYERS - 1));
            double u = (bits >>> 11) * 0x1.0p-52 - 1; // bits 11…63: uniform on [−1, 1), independent of the layer
            if (Math.abs(u) < INSIDE[i]) {
                return u * X[i];
            }
            if (i == 0) {
                return u < 0 ? -tail(prng) : tail(prng);
            }
            // a wedge: accept x if a uniform height in the layer, [f(X[i]), f(X[i+1])], lies below f(x)
            double x = u * X[i];
            double low = Math.exp(-0.5 * (X[i] * X[i] - x * x)); // f(X[i]) / f(x)
            double high = Math.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x)); // f(X[i+1]) / f(x)
            if (low + prng.nextDouble() * (high - low) < 1) {
                return x;
            }
        }
    }

    /** A deviate of N(0, 1) conditioned on x > R (Marsaglia 1964): exact, about 1.1 tries. */
    static double tail(Prng prng) {
        while (true) {
            double x = Math.log(1 - prng.nextDouble()) / R; // ≤ 0: R − x is R plus an exponential of rate R
            double y = Math.log(1 - prng.nextDouble());
            if (-2 * y >= x * x) {
                return R - x;
            }
        }
    }
}
