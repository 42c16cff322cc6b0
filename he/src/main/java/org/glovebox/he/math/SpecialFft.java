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
    /** 5^j mod 4n. */
    private final int[] rotGroup;
    /** exp(2 pi i k / 4n), real and imaginary parts. */
    private final double[] rootRe;
    private final double[] rootIm;

    public SpecialFft(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two, got " + size);
        }
        this.size = size;
        this.logSize = Integer.numberOfTrailingZeros(size);
        int m = 4 * size;
        rotGroup = new int[size];
        long five = 1;
        for (int j = 0; j < size; j++) {
            rotGroup[j] = (int) five;
            five = (five * 5) % m;
        }
        rootRe = new double[m + 1];
        rootIm = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            double angle = 2 * Math.PI * k / m;
            rootRe[k] = Math.cos(angle);
            rootIm[k] = Math.sin(angle);
        }
    }

    public int size() {
        return size;
    }

    /** Evaluates (decoding direction), in place. */
    public void forward(double[] re, double[] im) {
        bitReversePermute(re, im);
        int m = 4 * size;
        for (int len = 2; len <= size; len <<= 1) {
            int lenh = len >> 1;
            int lenq = len << 2;
            int stride = m / lenq;
            for (int i = 0; i < size; i += len) {
                for (int j = 0; j < lenh; j++) {
                    int idx = (rotGroup[j] % lenq) * stride;
                    int a = i + j;
                    int b = a + lenh;
                    double vr = re[b] * rootRe[idx] - im[b] * rootIm[idx];
                    double vi = re[b] * rootIm[idx] + im[b] * rootRe[idx];
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
        int m = 4 * size;
        for (int len = size; len >= 2; len >>= 1) {
            int lenh = len >> 1;
            int lenq = len << 2;
            int stride = m / lenq;
            for (int i = 0; i < size; i += len) {
                for (int j = 0; j < lenh; j++) {
                    int idx = (lenq - (rotGroup[j] % lenq)) * stride;
                    int a = i + j;
                    int b = a + lenh;
                    double ur = re[a] + re[b];
                    double ui = im[a] + im[b];
                    double dr = re[a] - re[b];
                    double di = im[a] - im[b];
                    re[a] = ur;
                    im[a] = ui;
                    re[b] = dr * rootRe[idx] - di * rootIm[idx];
                    im[b] = dr * rootIm[idx] + di * rootRe[idx];
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
