package org.glovebox.federated.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A histogram that a statistics study releases: the number of patients whose value of one feature falls in each bin,
 * overall and among positive outcomes. The bins are cut at the inner edges e_1 &lt; … &lt; e_k: bin 0 is (−∞, e_1), bin
 * i is [e_i, e_{i+1}), bin k is [e_k, ∞), so every value falls in exactly one of the k + 1 bins.
 *
 * @param feature the feature's name in the study's cohort definition
 * @param edges the inner edges, finite and strictly increasing (1 … {@value #MAX_EDGES})
 */
public record HistogramSpec(String feature, double[] edges) {
    /** At most this many inner edges (64 bins) per histogram. */
    public static final int MAX_EDGES = 63;
    /** At most this many histograms per study. */
    public static final int MAX_HISTOGRAMS = 64;

    public HistogramSpec {
        if (feature == null || feature.isBlank()) {
            throw new IllegalArgumentException("a histogram needs a feature name");
        }
        if (edges == null || edges.length == 0 || edges.length > MAX_EDGES) {
            throw new IllegalArgumentException("histogram of " + feature + ": give 1 to " + MAX_EDGES
                    + " bin edges");
        }
        edges = edges.clone();
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("histogram of " + feature + ": bin edges must be finite and"
                        + " strictly increasing, got " + Arrays.toString(edges));
            }
        }
    }

    /** Number of bins (edges + 1). */
    public int bins() {
        return edges.length + 1;
    }

    /** The bin of a value: the number of edges at or below it. */
    public int bin(double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramSpec h && h.feature.equals(feature) && Arrays.equals(h.edges, edges);
    }

    @Override
    public int hashCode() {
        return feature.hashCode() * 31 + Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return feature + " " + Arrays.toString(edges);
    }

    /** Parses {@code {feature: [edges…], …}} (absent: none). */
    static List<HistogramSpec> parseAll(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("statistics.histograms must map feature names to lists of bin edges");
        }
        if (n.size() > MAX_HISTOGRAMS) {
            throw new IllegalArgumentException("at most " + MAX_HISTOGRAMS + " histograms per study");
        }
        List<HistogramSpec> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode list = e.getValue();
            if (!list.isArray()) {
                throw new IllegalArgumentException("histogram of " + e.getKey() + ": expected a list of bin edges");
            }
            if (list.size() > MAX_EDGES) {
                throw new IllegalArgumentException("histogram of " + e.getKey() + ": give 1 to " + MAX_EDGES
                        + " bin edges");
            }
            double[] edges = new double[list.size()];
            for (int i = 0; i < edges.length; i++) {
                if (!list.get(i).isNumber()) {
                    throw new IllegalArgumentException("histogram of " + e.getKey() + ": bin edge '" + list.get(i)
                            + "' is not a number");
                }
                edges[i] = list.get(i).asDouble();
            }
            out.add(new HistogramSpec(e.getKey(), edges));
        }
        return List.copyOf(out);
    }
}
