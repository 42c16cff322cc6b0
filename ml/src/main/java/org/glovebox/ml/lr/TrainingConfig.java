package org.glovebox.ml.lr;

/**
 * What both the encrypted trainer and its plaintext twin run: the number of iterations, the sigmoid approximation
 * and the Nesterov step schedule.
 *
 * @param iterations number of gradient iterations K (the first one, from β = 0, needs one level; each further one 4)
 * @param sigmoid polynomial approximation of σ (the encrypted trainer supports degree 3)
 * @param schedule learning rates and momentum
 */
public record TrainingConfig(int iterations, SigmoidApproximation sigmoid, NesterovSchedule schedule) {
    /** Upper bound on iterations anyone may ask for (the parameter set bounds it further). */
    public static final int MAX_ITERATIONS = 1000;

    public TrainingConfig {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in [1, " + MAX_ITERATIONS + "], got " + iterations);
        }
        if (sigmoid == null || schedule == null) {
            throw new IllegalArgumentException("sigmoid and schedule are required");
        }
    }

    /** K iterations with the default sigmoid (degree 3 on [-8, 8]) and Kim et al.'s schedule γ_t = 10/(t+1). */
    public static TrainingConfig of(int iterations) {
        return new TrainingConfig(iterations, SigmoidApproximation.defaultForTraining(), NesterovSchedule.KIM);
    }
}
