package org.glovebox.he.ckks;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A slots-by-slots matrix given by its non-zero generalized diagonals, applied to a ciphertext with the
 * baby-step giant-step diagonal method (Halevi–Shoup; as in Lattigo's and SEAL's examples):
 * M·x = Σ_i rot_{i·n1}( Σ_j rot_{-i·n1}(diag_{i·n1 + j}) ⊙ rot_j(x) ), where the baby rotations rot_j are hoisted
 * (one decomposition for all of them). Consumes one level.
 *
 * <p>Diagonal k holds M[r][(r + k) mod slots] at index r. {@link #rotationSteps()} lists the Galois keys needed.
 */
public final class LinearTransform {
    private final int slots;
    private final Map<Integer, double[][]> diagonals;
    private final int babySteps;

    /**
     * @param diagonals map from diagonal index k in [0, slots) to {real, imaginary} parts (imaginary may be null),
     *     each of length slots
     */
    public LinearTransform(int slots, Map<Integer, double[][]> diagonals) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        if (diagonals.isEmpty()) {
            throw new IllegalArgumentException("a linear transform needs at least one diagonal");
        }
        this.slots = slots;
        this.diagonals = new TreeMap<>();
        for (var e : diagonals.entrySet()) {
            int k = Math.floorMod(e.getKey(), slots);
            double[][] d = e.getValue();
            if (d[0].length != slots || (d.length > 1 && d[1] != null && d[1].length != slots)) {
                throw new IllegalArgumentException("diagonal " + k + " must have " + slots + " entries");
            }
            this.diagonals.put(k, new double[][] {d[0].clone(), d.length > 1 && d[1] != null ? d[1].clone() : null});
        }
        int span = this.diagonals.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
        int n1 = 1;
        while ((long) n1 * n1 < span) {
            n1 <<= 1;
        }
        this.babySteps = n1;
    }

    /** The transform of a dense real matrix (rows x columns = slots x slots). */
    public static LinearTransform fromMatrix(double[][] matrix) {
        int slots = matrix.length;
        Map<Integer, double[][]> diags = new TreeMap<>();
        for (int k = 0; k < slots; k++) {
            double[] d = new double[slots];
            boolean nonZero = false;
            for (int r = 0; r < slots; r++) {
                if (matrix[r].length != slots) {
                    throw new IllegalArgumentException("matrix must be square");
                }
                d[r] = matrix[r][(r + k) % slots];
                nonZero |= d[r] != 0;
            }
            if (nonZero) {
                diags.put(k, new double[][] {d, null});
            }
        }
        if (diags.isEmpty()) {
            diags.put(0, new double[][] {new double[slots], null});
        }
        return new LinearTransform(slots, diags);
    }

    public int slots() {
        return slots;
    }

    /** The rotation steps whose Galois keys {@link #apply} needs. */
    public int[] rotationSteps() {
        TreeSet<Integer> steps = new TreeSet<>();
        for (int k : diagonals.keySet()) {
            int giant = (k / babySteps) * babySteps;
            int baby = k - giant;
            if (baby != 0) {
                steps.add(baby);
            }
            if (giant != 0) {
                steps.add(giant);
            }
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** M·x slot-wise; the result is one level lower with the input's scale. */
    public Ciphertext apply(Evaluator ev, Encoder encoder, Ciphertext ct) {
        if (ct.slots() != slots) {
            throw new IllegalArgumentException("transform has " + slots + " slots, ciphertext " + ct.slots());
        }
        if (ct.level() < 1) {
            throw new IllegalArgumentException("a linear transform needs one level; ciphertext is at level 0");
        }
        int level = ct.level();
        double ptScale = ev.parameters().q(level);
        TreeSet<Integer> babies = new TreeSet<>();
        TreeMap<Integer, TreeMap<Integer, double[][]>> byGiant = new TreeMap<>();
        for (var e : diagonals.entrySet()) {
            int k = e.getKey();
            int giant = (k / babySteps) * babySteps;
            int baby = k - giant;
            babies.add(baby);
            byGiant.computeIfAbsent(giant, g -> new TreeMap<>()).put(baby, e.getValue());
        }
        int[] babyArray = babies.stream().mapToInt(Integer::intValue).toArray();
        Ciphertext[] rotated = ev.rotateHoisted(ct, babyArray);
        Map<Integer, Ciphertext> byBaby = new TreeMap<>();
        for (int i = 0; i < babyArray.length; i++) {
            byBaby.put(babyArray[i], rotated[i]);
        }
        Ciphertext result = null;
        for (var g : byGiant.entrySet()) {
            int giant = g.getKey();
            Ciphertext inner = null;
            for (var b : g.getValue().entrySet()) {
                double[][] d = b.getValue();
                double[] re = rotateRight(d[0], giant);
                double[] im = d[1] == null ? null : rotateRight(d[1], giant);
                Plaintext pt = encoder.encode(re, im, slots, level, ptScale);
                Ciphertext term = ev.multiplyPlain(byBaby.get(b.getKey()), pt);
                inner = inner == null ? term : ev.add(inner, term);
            }
            Ciphertext moved = giant == 0 ? inner : ev.rotate(inner, giant);
            result = result == null ? moved : ev.add(result, moved);
        }
        return ev.relabelScale(ev.rescale(result), ct.scale());
    }

    /** v rotated right by k: out[r] = v[r - k]. */
    private static double[] rotateRight(double[] v, int k) {
        int n = v.length;
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[r] = v[Math.floorMod(r - k, n)];
        }
        return out;
    }
}
