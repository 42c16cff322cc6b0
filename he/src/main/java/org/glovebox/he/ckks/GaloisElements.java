package org.glovebox.he.ckks;

/**
 * Galois elements of Z[X]/(X^N + 1): the automorphism X -> X^g rotates the slot vector by k when g = 5^k mod 2N and
 * conjugates every slot when g = 2N - 1.
 */
public final class GaloisElements {
    private GaloisElements() {
    }

    /** The element rotating slots left by {@code steps} (negative steps rotate right); steps are taken mod N/2. */
    public static int forRotation(int steps, int n) {
        int slots = n / 2;
        int k = Math.floorMod(steps, slots);
        long m = 2L * n;
        long g = 1;
        long base = 5;
        while (k > 0) {
            if ((k & 1) != 0) {
                g = (g * base) % m;
            }
            base = (base * base) % m;
            k >>= 1;
        }
        return (int) g;
    }

    /** The element of complex conjugation, 2N - 1. */
    public static int conjugation(int n) {
        return 2 * n - 1;
    }

    /** Rotation steps 1, 2, 4, …, up to half the slot count: enough for inner sums over {@code slots} slots. */
    public static int[] powerOfTwoSteps(int slots) {
        int count = Integer.numberOfTrailingZeros(slots);
        int[] steps = new int[count];
        for (int i = 0; i < count; i++) {
            steps[i] = 1 << i;
        }
        return steps;
    }
}
