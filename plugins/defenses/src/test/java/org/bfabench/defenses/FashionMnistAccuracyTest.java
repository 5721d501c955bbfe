package org.bfabench.defenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Footprint;
import org.bfabench.spi.Options;
import org.bfabench.spi.TrainingBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real Fashion-MNIST, real cnn-small, small budgets (subset + 3 epochs) so the module's tests stay short. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FashionMnistAccuracyTest {
    @TempDir
    Path tmp;
    private Dataset data;

    @BeforeAll
    void load(@TempDir Path cache) {
        data = FashionMnist.load(cache);
    }

    @Test
    void eightBitCnnSmallReachesEightyEightPercentTestAccuracy() {
        try (DefendedModel m = Training.train("quantized-8bit", FashionMnist.architecture("cnn-small"), data,
                new TrainingBudget(3, 64, 30000), 1, Options.empty(), tmp)) {
            double acc = Training.accuracy(m, data, 10000);
            assertTrue(acc >= 0.88, "8-bit cnn-small test accuracy " + acc);
            Footprint f = m.footprint();
            assertEquals(8 * f.parameters(), f.weightBits());
        }
    }

    @Test
    void completeBnnCnnSmallReachesEightyPercentTestAccuracy() {
        try (DefendedModel m = Training.train("bnn", FashionMnist.architecture("cnn-small"), data,
                new TrainingBudget(3, 128, 20000), 1, Options.empty(), tmp)) {
            double acc = Training.accuracy(m, data, 10000);
            assertTrue(acc >= 0.80, "bnn cnn-small test accuracy " + acc);
            Footprint f = m.footprint();
            assertEquals(f.parameters(), f.weightBits());
            assertTrue(m.attackSurface().orElseThrow().layers().stream().allMatch(l -> l.bits() == 1));
        }
    }

    /**
     * The growth search trains the complete BNN with SGD at lr 0.01 (ALGORITHMS.md §3). With a learned
     * scalar classifier scale that recipe oscillated (loss 17 in the widened candidate's first epoch) and
     * this model stayed at chance (8.4% here); with the classifier's mean|W| scale it reaches 54.6%.
     */
    @Test
    void completeBnnTrainsStablyWithTheGrowthSearchsSgdRecipe() {
        Options sgd = Options.of(java.util.Map.of("optimizer", "sgd", "lr", 0.01, "momentum", 0.9,
                "weight_decay", 1e-4));
        try (DefendedModel m = Training.train("bnn", FashionMnist.architecture("cnn-small"), data,
                new TrainingBudget(1, 128, 5000), 1, sgd, tmp)) {
            double acc = Training.accuracy(m, data, 2000);
            assertTrue(acc >= 0.4, "bnn cnn-small test accuracy after one SGD epoch on 5000 images " + acc);
        }
    }
}
