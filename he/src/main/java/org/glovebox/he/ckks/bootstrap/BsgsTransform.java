package org.glovebox.he.ckks.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Plaintext;

/**
 * One level of a homomorphic DFT: a {@link DiagonalMatrix} applied with the baby-step giant-step diagonal method and
 * hoisted baby steps, in one level.
 *
 * <p>Offsets are reduced modulo the input period p (the slot count, or n for an n-periodic input seen with 2n slots)
 * to their centered representative in (-p/2, p/2], written k = unit·(g·n1 + b) with b in [0, n1), and
 * M·x = Σ_g rot_{unit·n1·g}( Σ_b rot_{-unit·n1·g}(d_k) ⊙ rot_{unit·b}(x) ). The baby rotations share one key-switching
 * decomposition; n1 is chosen to minimize an estimate of the key-switching work. Centering matters: the diagonals of a
 * merged butterfly level sit at ±multiples of a power of two, which a [0, p) representation would spread over the
 * whole slot range.
 *
 * <p>Immutable; the encoded diagonals can be cached per level ({@link #cachePlaintexts}).
 */
final class BsgsTransform {
    /** Relative cost of a hoisted rotation compared with a full one (no decomposition). */
    private static final double HOISTED_COST = 0.55;

    private final int viewSlots;
    private final int unit;
    private final int n1;
    /** giant index g -> baby index b -> diagonal (already rotated right by unit·n1·g), {re, im}. */
    private final TreeMap<Integer, TreeMap<Integer, double[][]>> plan;
    private final int diagonalCount;
    private final ConcurrentHashMap<Long, Plaintext> cache = new ConcurrentHashMap<>();
    private volatile boolean cachePlaintexts;

    /**
     * @param m the matrix in the ciphertext's slot view
     * @param period the period of the inputs it is applied to (a divisor of m.slots(); m.slots() for general inputs)
     */
    BsgsTransform(DiagonalMatrix m, int period) {
        this.viewSlots = m.slots();
        if (period < 1 || viewSlots % period != 0) {
            throw new IllegalArgumentException("period must divide the slot count");
        }
        // Centered offsets; offsets equal modulo the period act alike on periodic inputs: sum them.
        TreeMap<Integer, double[][]> centered = new TreeMap<>();
        for (var e : m.diagonals().entrySet()) {
            int k = Math.floorMod(e.getKey(), period);
            if (k > period / 2) {
                k -= period;
            }
            double[][] d = centered.get(k);
            if (d == null) {
                centered.put(k, new double[][] {e.getValue()[0].clone(), e.getValue()[1].clone()});
            } else {
                for (int r = 0; r < viewSlots; r++) {
                    d[0][r] += e.getValue()[0][r];
                    d[1][r] += e.getValue()[1][r];
                }
            }
        }
        int g = 0;
        for (int k : centered.keySet()) {
            g = gcd(g, Math.abs(k));
        }
        this.unit = g == 0 ? 1 : g;
        this.n1 = chooseBabySteps(centered.keySet(), unit);
        this.plan = new TreeMap<>();
        for (var e : centered.entrySet()) {
            int j = e.getKey() / unit;
            int giant = Math.floorDiv(j, n1);
            int baby = j - giant * n1;
            double[][] d = e.getValue();
            int shift = unit * n1 * giant;
            plan.computeIfAbsent(giant, x -> new TreeMap<>())
                    .put(baby, new double[][] {rotateRight(d[0], shift), rotateRight(d[1], shift)});
        }
        this.diagonalCount = centered.size();
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The power-of-two baby-step count minimizing (hoisted baby rotations)·c + (giant rotations). */
    private static int chooseBabySteps(java.util.Set<Integer> offsets, int unit) {
        int best = 1;
        double bestCost = Double.MAX_VALUE;
        int bestKeys = Integer.MAX_VALUE;
        int span = 1;
        for (int k : offsets) {
            span = Math.max(span, Math.abs(k / unit) + 1);
        }
        for (int n1 = 1; n1 <= 2 * Integer.highestOneBit(2 * span); n1 <<= 1) {
            TreeSet<Integer> babies = new TreeSet<>();
            TreeSet<Integer> giants = new TreeSet<>();
            for (int k : offsets) {
                int j = k / unit;
                int g = Math.floorDiv(j, n1);
                babies.add(j - g * n1);
                giants.add(g);
            }
            babies.remove(0);
            giants.remove(0);
            // Contiguous sides use Horner's rule (one key), others one key per giant step; same rotation count.
            int keys = babies.size();
            for (int sign : new int[] {1, -1}) {
                long side = giants.stream().filter(g -> Integer.signum(g) == sign).count();
                keys += contiguous(giants, sign) ? (side > 0 ? 1 : 0) : (int) side;
            }
            double cost = babies.size() * HOISTED_COST + giants.size();
            if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && keys < bestKeys)) {
                best = n1;
                bestCost = cost;
                bestKeys = keys;
            }
        }
        return best;
    }

    /** True if the giant indices on one side (sign = ±1) are exactly 1 … max (Horner's rule applies). */
    private static boolean contiguous(java.util.Set<Integer> giants, int sign) {
        int count = 0;
        int max = 0;
        for (int g : giants) {
            if (Integer.signum(g) == sign) {
                count++;
                max = Math.max(max, Math.abs(g));
            }
        }
        return count == max;
    }

    /** v rotated right by k: out[r] = v[r - k]. */
    private static double[] rotateRight(double[] v, int k) {
        int n = v.length;
        double[] out = new double[n];
        int s = Math.floorMod(-k, n);
        for (int r = 0; r < n; r++) {
            int i = r + s;
            out[r] = v[i >= n ? i - n : i];
        }
        return out;
    }

    int viewSlots() {
        return viewSlots;
    }

    int diagonalCount() {
        return diagonalCount;
    }

    /** Keep encoded diagonals after first use (faster, costs (level + 1)·N·8 bytes per diagonal). */
    void cachePlaintexts(boolean on) {
        this.cachePlaintexts = on;
        if (!on) {
            cache.clear();
        }
    }

    /**
     * Rotation steps (slot units; may be negative) of the baby steps and of the two giant steps ±unit·n1: the giant
     * sums are combined by Horner's rule, Σ_g rot_{gG}(s_g) = s_0 + rot_G(s_1 + rot_G(s_2 + …)) (and likewise with -G
     * for negative g), which takes as many rotations as separate giant steps but only two keys.
     */
    int[] rotationSteps() {
        TreeSet<Integer> s = new TreeSet<>();
        for (var g : plan.entrySet()) {
            int gi = g.getKey();
            if (gi != 0) {
                boolean horner = contiguous(plan.keySet(), Integer.signum(gi));
                s.add(horner ? Integer.signum(gi) * unit * n1 : gi * unit * n1);
            }
            for (int b : g.getValue().keySet()) {
                if (b != 0) {
                    s.add(unit * b);
                }
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of (hoisted baby, giant) rotations one application performs. */
    int[] rotationCounts() {
        TreeSet<Integer> babies = new TreeSet<>();
        for (var g : plan.values()) {
            babies.addAll(g.keySet());
        }
        babies.remove(0);
        int giants = plan.containsKey(0) ? plan.size() - 1 : plan.size();
        return new int[] {babies.size(), giants};
    }

    /**
     * M·x for a ciphertext viewed with {@link #viewSlots()} slots; the result is one level lower with scale
     * {@code targetScale} (the diagonals are encoded at targetScale·q_level/scale, so no extra level is used).
     */
    Ciphertext apply(Evaluator ev, Encoder encoder, Ciphertext ct, double targetScale) {
        if (ct.slots() != viewSlots) {
            throw new IllegalArgumentException("transform is for " + viewSlots + " slots, ciphertext has "
                    + ct.slots());
        }
        int level = ct.level();
        if (level < 1) {
            throw new IllegalArgumentException("a linear transform needs one level; ciphertext is at level 0");
        }
        double ptScale = targetScale * ev.parameters().q(level) / ct.scale();
        TreeSet<Integer> babySet = new TreeSet<>();
        for (var g : plan.values()) {
            babySet.addAll(g.keySet());
        }
        int[] babies = babySet.stream().mapToInt(Integer::intValue).toArray();
        int[] steps = new int[babies.length];
        for (int i = 0; i < babies.length; i++) {
            steps[i] = unit * babies[i];
        }
        Ciphertext[] rotated = ev.rotateHoisted(ct, steps);
        Map<Integer, Ciphertext> byBaby = new TreeMap<>();
        for (int i = 0; i < babies.length; i++) {
            byBaby.put(babies[i], rotated[i]);
        }
        Map<Integer, Ciphertext> inner = new TreeMap<>();
        for (var g : plan.entrySet()) {
            Ciphertext sum = null;
            for (var b : g.getValue().entrySet()) {
                Plaintext pt = plaintext(encoder, g.getKey(), b.getKey(), b.getValue(), level, ptScale);
                Ciphertext term = ev.multiplyPlain(byBaby.get(b.getKey()), pt);
                sum = sum == null ? term : ev.add(sum, term);
            }
            inner.put(g.getKey(), sum);
        }
        // Each side: Horner's rule with rot_{±G} when its giant indices are 1 … max, else one rotation per giant.
        int giant = unit * n1;
        Ciphertext pos = side(ev, inner, 1, giant);
        Ciphertext neg = side(ev, inner, -1, giant);
        Ciphertext result = inner.get(0);
        for (Ciphertext c : new Ciphertext[] {pos, neg}) {
            if (c != null) {
                result = result == null ? c : ev.add(result, c);
            }
        }
        return Cts.withScale(ev.rescale(result), targetScale);
    }

    private Ciphertext side(Evaluator ev, Map<Integer, Ciphertext> inner, int sign, int giant) {
        Ciphertext acc = null;
        if (contiguous(plan.keySet(), sign)) {
            int max = 0;
            for (int g : plan.keySet()) {
                if (Integer.signum(g) == sign) {
                    max = Math.max(max, Math.abs(g));
                }
            }
            for (int a = max; a >= 1; a--) {
                Ciphertext s = inner.get(sign * a);
                acc = acc == null ? s : (s == null ? acc : ev.add(s, acc));
                acc = acc == null ? null : ev.rotate(acc, sign * giant);
            }
            return acc;
        }
        for (var e : inner.entrySet()) {
            if (Integer.signum(e.getKey()) == sign) {
                Ciphertext r = ev.rotate(e.getValue(), e.getKey() * giant);
                acc = acc == null ? r : ev.add(acc, r);
            }
        }
        return acc;
    }

    private Plaintext plaintext(Encoder encoder, int giant, int baby, double[][] d, int level, double ptScale) {
        if (!cachePlaintexts) {
            return encoder.encode(d[0], d[1], viewSlots, level, ptScale);
        }
        long key = ((long) giant << 40) ^ ((long) baby << 20) ^ level;
        Plaintext pt = cache.get(key);
        if (pt == null || Math.abs(pt.scale() / ptScale - 1) > 1e-12) {
            pt = encoder.encode(d[0], d[1], viewSlots, level, ptScale);
            cache.put(key, pt);
        }
        return pt;
    }

    /** The plaintext twin: M·x with the centered, pre-rotated plan (checks the bookkeeping). */
    double[][] applyPlain(double[] re, double[] im) {
        double[] or = new double[viewSlots];
        double[] oi = new double[viewSlots];
        for (var g : plan.entrySet()) {
            double[] ir = new double[viewSlots];
            double[] ii = new double[viewSlots];
            for (var b : g.getValue().entrySet()) {
                int s = unit * b.getKey();
                double[][] d = b.getValue();
                for (int r = 0; r < viewSlots; r++) {
                    int idx = Math.floorMod(r + s, viewSlots);
                    ir[r] += d[0][r] * re[idx] - d[1][r] * im[idx];
                    ii[r] += d[0][r] * im[idx] + d[1][r] * re[idx];
                }
            }
            int giant = unit * n1 * g.getKey();
            for (int r = 0; r < viewSlots; r++) {
                int idx = Math.floorMod(r + giant, viewSlots);
                or[r] += ir[idx];
                oi[r] += ii[idx];
            }
        }
        return new double[][] {or, oi};
    }

    @Override
    public String toString() {
        int[] c = rotationCounts();
        return "BsgsTransform[" + viewSlots + " slots, " + diagonalCount + " diagonals, unit " + unit + ", n1 " + n1
                + ", " + c[0] + " baby + " + c[1] + " giant rotations]";
    }

    /** All transforms' rotation steps. */
    static int[] steps(List<BsgsTransform> ts) {
        TreeSet<Integer> s = new TreeSet<>();
        for (BsgsTransform t : ts) {
            for (int x : t.rotationSteps()) {
                s.add(x);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<BsgsTransform> of(List<DiagonalMatrix> ms, int period) {
        List<BsgsTransform> out = new ArrayList<>();
        for (DiagonalMatrix m : ms) {
            out.add(new BsgsTransform(m, period));
        }
        return out;
    }
}
