package org.glovebox.he.ckks.bootstrap;

import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.SecretKey;

/**
 * The public evaluation keys bootstrapping needs: a relinearization key, the Galois keys of
 * {@link BootstrappingParameters#galoisElements()} (rotations of the homomorphic DFTs and of the sparse-packing trace,
 * and conjugation) and, with sparse-secret encapsulation, the two {@link EncapsulationKeys}. None of them reveals the
 * secret; they can be given to the party that computes.
 */
public final class BootstrappingKeys {
    private final Parameters params;
    private final RelinearizationKey rlk;
    private final GaloisKeys galois;
    private final EncapsulationKeys encapsulation;

    private BootstrappingKeys(Parameters params, RelinearizationKey rlk, GaloisKeys galois,
            EncapsulationKeys encapsulation) {
        this.params = params;
        this.rlk = rlk;
        this.galois = galois;
        this.encapsulation = encapsulation;
    }

    /** Keys from their parts (e.g. collectively generated Galois keys); {@code encapsulation} may be null. */
    public static BootstrappingKeys of(RelinearizationKey rlk, GaloisKeys galois, EncapsulationKeys encapsulation) {
        Parameters p = rlk.parameters();
        if (!p.sameAs(galois.parameters()) || (encapsulation != null && !p.sameAs(encapsulation.parameters()))) {
            throw new IllegalArgumentException("bootstrapping keys belong to different parameter sets");
        }
        return new BootstrappingKeys(p, rlk, galois, encapsulation);
    }

    /** Generates every key for {@code bp} from the secret key. */
    public static BootstrappingKeys generate(BootstrappingParameters bp, SecretKey sk) {
        Parameters p = bp.parameters();
        if (!p.sameAs(sk.parameters())) {
            throw new IllegalArgumentException("secret key belongs to a different parameter set");
        }
        KeyGenerator kg = new KeyGenerator(p);
        RelinearizationKey rlk = kg.generateRelinearizationKey(sk);
        GaloisKeys gks = kg.generateGaloisKeysForElements(sk, bp.galoisElements());
        EncapsulationKeys enc = bp.ephemeralSecretWeight() > 0
                ? EncapsulationKeys.generate(sk, bp.ephemeralSecretWeight()) : null;
        return new BootstrappingKeys(p, rlk, gks, enc);
    }

    public Parameters parameters() {
        return params;
    }

    public RelinearizationKey relinearizationKey() {
        return rlk;
    }

    public GaloisKeys galoisKeys() {
        return galois;
    }

    /** The encapsulation keys, or null when the parameters do not use encapsulation. */
    public EncapsulationKeys encapsulationKeys() {
        return encapsulation;
    }

    /**
     * Total size in bytes with the uniform halves stored as seeds and residues at full 64-bit width (the serialized
     * form packs residues at their prime width and is smaller; in memory the uniform halves are expanded, about
     * twice this).
     */
    public long sizeBytes() {
        long switchingKey = (long) params.digitCount(params.maxLevel())
                * (params.maxLevel() + 1 + params.specialPrimeCount()) * params.n() * 8 + 32;
        return switchingKey + galois.sizeBytes() + (encapsulation == null ? 0 : encapsulation.sizeBytes());
    }

    @Override
    public String toString() {
        return "BootstrappingKeys[" + galois.galoisElements().size() + " Galois keys"
                + (encapsulation != null ? ", encapsulation h'=" + encapsulation.ephemeralWeight() : "")
                + ", " + params + "]";
    }
}
