package org.glovebox.data;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the means used by the {@code mean} missing-value policy come from: this site's own observed values
 * ({@link #local()}), or values supplied from outside ({@link #of}) such as study-wide means that the federated
 * module computed across hospitals under encryption.
 */
public final class ImputationMeans {

    private static final ImputationMeans LOCAL = new ImputationMeans(null);

    private final Map<String, Double> supplied;

    private ImputationMeans(Map<String, Double> supplied) {
        this.supplied = supplied;
    }

    /** Means computed from the site's own patients who survive the {@code drop} policies. */
    public static ImputationMeans local() {
        return LOCAL;
    }

    /** Means supplied by name; every feature that uses the {@code mean} policy must be present. */
    public static ImputationMeans of(Map<String, Double> meansByFeature) {
        for (var e : meansByFeature.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("mean for feature " + e.getKey() + " must be a finite number");
            }
        }
        return new ImputationMeans(Map.copyOf(meansByFeature));
    }

    /** Means pooled from several sites' {@link ObservedSum}s (the plaintext counterpart of the federated sum). */
    public static ImputationMeans pooled(Collection<ObservedSum> sums) {
        Map<String, ObservedSum> total = new HashMap<>();
        for (ObservedSum s : sums) {
            total.merge(s.feature(), s, ObservedSum::plus);
        }
        Map<String, Double> means = new HashMap<>();
        total.forEach((feature, s) -> {
            if (s.count() > 0) {
                means.put(feature, s.mean());
            }
        });
        return of(means);
    }

    /** Whether the means are computed locally. */
    public boolean isLocal() {
        return supplied == null;
    }

    /** The supplied mean of a feature, if any (always empty for {@link #local()}). */
    public Optional<Double> supplied(String feature) {
        return supplied == null ? Optional.empty() : Optional.ofNullable(supplied.get(feature));
    }

    @Override
    public String toString() {
        return supplied == null ? "local means" : "supplied means for " + supplied.keySet();
    }
}
