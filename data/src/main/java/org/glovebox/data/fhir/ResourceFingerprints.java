package org.glovebox.data.fhir;

import java.nio.charset.StandardCharsets;

/**
 * Remembers which resources ({@code type/id}) were already read, to detect duplicates in exports larger than memory:
 * each resource costs 8-16 bytes (a 64-bit hash in an open-addressing table) instead of a retained string. Two distinct
 * resources collide with probability about n^2 / 2^65 (3e-8 for a million resources); a collision makes the second one
 * count as a duplicate.
 */
final class ResourceFingerprints {

    private long[] table = new long[1 << 12];
    private int size;
    private boolean containsZero;

    /** Records the resource; returns false when it had been recorded before. */
    boolean add(String type, String id) {
        long h = hash(type, id);
        if (h == 0) {
            boolean fresh = !containsZero;
            containsZero = true;
            return fresh;
        }
        if (2L * (size + 1) > table.length) {
            grow();
        }
        int mask = table.length - 1;
        int i = (int) h & mask;
        while (table[i] != 0) {
            if (table[i] == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        size++;
        return true;
    }

    /** Number of distinct resources recorded. */
    int size() {
        return size + (containsZero ? 1 : 0);
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h != 0) {
                int i = (int) h & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = h;
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes of {@code type/id}, finished with the SplitMix64 mixer for well-spread low bits. */
    static long hash(String type, String id) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, type.getBytes(StandardCharsets.UTF_8));
        h = (h ^ '/') * 0x100000001b3L;
        h = fnv(h, id.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
