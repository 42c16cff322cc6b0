package org.glovebox.he.ckks;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Key-switching keys for a set of Galois elements (rotations and conjugation). A rotation by a step whose key is
 * missing fails with a message naming the step; {@link Evaluator#rotate} does not silently compose keys.
 */
public final class GaloisKeys {
    private final Parameters params;
    private final Map<Integer, KeySwitchingKey> keys;

    GaloisKeys(Parameters params, Map<Integer, KeySwitchingKey> keys) {
        this.params = params;
        this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    }

    public Parameters parameters() {
        return params;
    }

    /** The Galois elements covered. */
    public Set<Integer> galoisElements() {
        return keys.keySet();
    }

    public boolean hasElement(int galoisElement) {
        return keys.containsKey(galoisElement);
    }

    public boolean hasRotation(int steps) {
        return keys.containsKey(GaloisElements.forRotation(steps, params.n()));
    }

    KeySwitchingKey key(int galoisElement) {
        return keys.get(galoisElement);
    }

    Map<Integer, KeySwitchingKey> keys() {
        return keys;
    }

    /** Total size in bytes. */
    public long sizeBytes() {
        return keys.values().stream().mapToLong(KeySwitchingKey::sizeBytes).sum();
    }

    /** A new set with the keys of both (same parameters). */
    public GaloisKeys merge(GaloisKeys other) {
        if (!params.sameAs(other.params)) {
            throw new IllegalArgumentException("Galois keys belong to different parameter sets");
        }
        Map<Integer, KeySwitchingKey> all = new TreeMap<>(keys);
        all.putAll(other.keys);
        return new GaloisKeys(params, all);
    }

    @Override
    public String toString() {
        return "GaloisKeys[" + keys.size() + " elements, " + params + "]";
    }
}
