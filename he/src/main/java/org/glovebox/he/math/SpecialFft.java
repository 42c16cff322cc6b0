package org.glovebox.he.math;

/**
 * The "special" FFT of CKKS: evaluation of a real polynomial at the primitive roots of unity zeta^(5^j), which is the
 * canonical embedding restricted to one half of the roots (the other half are the complex conjugates).
 *
 * <p>{@link #inverse} turns n slot values into n complex coefficients (encoding), {@link #forward} evaluates them back
 * (decoding). The transform depends only on the slot count n (a power of two); sparse packing places the result in
 * the ring with a gap of N/(2n). Values are passed as separate real and imaginary arrays to avoid boxing.
 */
public final class SpecialFft {
    private final int size;
    private final int logSize;
    /**
     * The twiddle factors in the order the butterflies use them, stage after stage (stage len = 2, 4, …, n holds
     * len/2 entries from offset len/2 − 1): forward exp(2πi·(5^j mod 4len)/4len), inverse its conjugate as the
     * table of roots gives it. Precomputed so that the inner loops read them in sequence instead of reducing 5^j
     * modulo 4len and gathering from a table of 4n roots for every butterfly; the values are the same doubles.
     */
    private final double[] forwardRe;
    private final double[] forwardIm;
    private final double[] inverseRe;
    private final double[] inverseIm;

    public SpecialFft(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two, got " + size);
        }
        this.size = size;
        this.logSize = Integer.numberOfTrailingZeros(size);
        int m = 4 * size;
        int[] rotGroup = new int[size]; // 5^j mod 4n
        long five = 1;
        for (int j = 0; j < size; j++) {
            rotGroup[j] = (int) five;
            five = (five * 5) % m;
        }
        double[] rootRe = new double[m + 1];
        double[] rootIm = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            double angle = 2 * Math.PI * k / m;
            rootRe[k] = Math.cos(angle);
            rootIm[k] = Math.sin(angle);
        }
        int entries = Math.max(size - 1, 0);
        forwardRe = new double[entries];
        forwardIm = new double[entries];
        inverseRe = new double[entries];
        inverseIm = new double[entries];
        for (int len = 2; len <= size; len <<= 1) {
            int lenh = len >> 1;
            int lenq = len << 2;
            int stride = m / lenq;
            for (int j = 0; j < lenh; j++) {
                int r = rotGroup[j] % lenq;
                forwardRe[lenh - 1 + j] = rootRe[r * stride];
                forwardIm[lenh - 1 + j] = rootIm[r * stride];
                inverseRe[lenh - 1 + j] = rootRe[(lenq - r) * stride];
                inverseIm[lenh - 1 + j] = rootIm[(lenq - r) * stride];
            }
        }
    }

    public int size() {
        return size;
    }

    /** Evaluates (decoding direction), in place. */
    public void forward(double[] re, double[] im) {
        bitReversePermute(re, im);
        for (int len = 2; len <= size; len <<= 1) {
            int lenh = len >> 1;
            int t = lenh - 1;
            for (int i = 0; i < size; i += len) {
                for (int j = 0; j < lenh; j++) {
                    double wr = forwardRe[t + j];
                    double wi = forwardIm[t + j];
                    int a = i + j;
                    int b = a + lenh;
                    double vr = re[b] * wr - im[b] * wi;
                    double vi = re[b] * wi + im[b] * wr;
                    double ur = re[a];
                    double ui = im[a];
                    re[a] = ur + vr;
                    im[a] = ui + vi;
                    re[b] = ur - vr;
                    im[b] = ui - vi;
                }
            }
        }
    }

    /** Interpolates (encoding direction), in place, including the division by the size. */
    public void inverse(double[] re, double[] im) {
        for (int len = size; len >= 2; len >>= 1) {
            int lenh = len >> 1;
            int t = lenh - 1;
            for (int i = 0; i < size; i += len) {
                for (int j = 0; j < lenh; j++) {
                    double wr = inverseRe[t + j];
                    double wi = inverseIm[t + j];
                    int a = i + j;
                    int b = a + lenh;
                    double ur = re[a] + re[b];
                    double ui = im[a] + im[b];
                    double dr = re[a] - re[b];
                    double di = im[a] - im[b];
                    re[a] = ur;
                    im[a] = ui;
                    re[b] = dr * wr - di * wi;
                    im[b] = dr * wi + di * wr;
                }
            }
        }
        bitReversePermute(re, im);
        double inv = 1.0 / size;
        for (int i = 0; i < size; i++) {
            re[i] *= inv;
            im[i] *= inv;
        }
    }

    private void bitReversePermute(double[] re, double[] im) {
        for (int i = 0; i < size; i++) {
            int r = Ntt.bitReverse(i, logSize);
            if (r > i) {
                double t = re[i];
                re[i] = re[r];
                re[r] = t;
                t = im[i];
                im[i] = im[r];
                im[r] = t;
            }
        }
    }
}
