package org.glovebox.ml.lr;

/** Progress of encrypted training (for the CLI); called on the training thread after every iteration. */
@FunctionalInterface
public interface TrainingListener {
    TrainingListener NONE = (iteration, of, seconds, levelsLeft) -> { };

    /**
     * @param iteration iterations done (1-based)
     * @param of iterations asked for
     * @param seconds elapsed since training started
     * @param levelsLeft level of the current model ciphertext (rescalings still possible)
     */
    void iterationDone(int iteration, int of, double seconds, int levelsLeft);

    /**
     * The model was refreshed (bootstrapped) after {@code iteration} iterations; {@code level} is its new level.
     * Does nothing by default.
     */
    default void refreshed(int iteration, double seconds, int level) {
    }
}
