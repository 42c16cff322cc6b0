package org.glovebox.ml.lr;

import org.glovebox.he.ckks.Ciphertext;

/**
 * The hook where bootstrapping will plug in (issue 7): when the next iteration needs more levels than the model
 * ciphertexts have left, the trainer hands each of them to {@link #refresh}, which must return an encryption of the
 * same values at a higher level (canonical scale of that level, see {@link org.glovebox.ml.crypto.LevelScales}).
 *
 * <p>Glovebox has no bootstrapping yet, so the only production value is {@link #NONE}: training is leveled and the
 * iteration count is bounded by the parameter set's depth ({@link EncryptedLogisticRegression#maxIterations}).
 */
public interface LevelRefresher {
    /** No refreshing: asking for more iterations than the depth allows is refused up front. */
    LevelRefresher NONE = null;

    /** An encryption of the same slots at a level of at least {@code minLevel}. */
    Ciphertext refresh(Ciphertext ct, int minLevel);
}
