package org.glovebox.ml.lr;

import org.glovebox.he.ckks.Ciphertext;

/**
 * What lets {@link EncryptedLogisticRegression} run past the depth of its parameter set: when the next iteration
 * needs more levels than the model ciphertexts have left, the trainer hands the two of them (the model v and the
 * Nesterov momentum β, both real slot vectors of the same scale and slot count) to {@link #refresh}, which returns
 * encryptions of the same values at a higher level, each with the canonical scale of that level
 * ({@link org.glovebox.ml.crypto.LevelScales}). {@link BootstrappingRefresher} does it without the secret key.
 */
public interface LevelRefresher {
    /** No refreshing: training is leveled, and asking for more iterations than the depth allows is refused. */
    LevelRefresher NONE = null;

    /** The lowest level a ciphertext handed to {@link #refresh} may have. */
    int inputLevel();

    /** Encryptions of the same slots as {@code a} and {@code b}, at a level above theirs, canonical scale. */
    Ciphertext[] refresh(Ciphertext a, Ciphertext b);
}
