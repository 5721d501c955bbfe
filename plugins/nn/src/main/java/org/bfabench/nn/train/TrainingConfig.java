package org.bfabench.nn.train;

/**
 * Hyper-parameters of one training run.
 *
 * @param epochs       passes over the training data
 * @param batchSize    mini-batch size
 * @param optimizer    {@code sgd} or {@code adam}
 * @param lr           base learning rate
 * @param momentum     SGD momentum
 * @param nesterov     Nesterov momentum
 * @param weightDecay  L2 weight decay on weights (not on BN, biases or scales)
 * @param warmupEpochs linear warm-up length in epochs (may be fractional)
 * @param schedule     learning-rate decay after warm-up
 * @param augmentation data augmentation
 */
public record TrainingConfig(int epochs, int batchSize, String optimizer, double lr, double momentum, boolean nesterov,
        double weightDecay, double warmupEpochs, LearningRateSchedule.Kind schedule, Augmentation augmentation) {

    public Optimizer newOptimizer() {
        return switch (optimizer) {
            case "sgd" -> new Sgd(momentum, nesterov, weightDecay);
            case "adam" -> new Adam(0.9, 0.999, 1e-8, weightDecay);
            default -> throw new org.bfabench.spi.BenchException("unknown optimizer '" + optimizer + "'; use sgd or adam");
        };
    }
}
