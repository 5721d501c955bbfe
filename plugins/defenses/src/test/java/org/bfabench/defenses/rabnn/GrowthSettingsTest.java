package org.bfabench.defenses.rabnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bfabench.nn.train.Augmentation;
import org.bfabench.nn.train.LearningRateSchedule;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;
import org.junit.jupiter.api.Test;

class GrowthSettingsTest {
    private static final TrainingConfig STAGE_TWO = new TrainingConfig(3, 64, "adam", 0.005, 0.9, false, 0, 0,
            LearningRateSchedule.Kind.COSINE, Augmentation.NONE);

    @Test
    void theSearchTrainsWithTheSpecRecipeWhateverStageTwoUses() {
        TrainingConfig search = GrowthSettings.from(Options.empty()).searchConfig(STAGE_TWO);
        assertEquals("sgd", search.optimizer());
        assertEquals(0.01, search.lr());
        assertEquals(0.9, search.momentum());
        assertEquals(1e-4, search.weightDecay());
        assertEquals(6, search.epochs(), "the schedule spans the search epochs");
        assertEquals(64, search.batchSize(), "batch size follows stage 2");
        assertEquals(LearningRateSchedule.Kind.COSINE, search.schedule());
    }

    @Test
    void theSearchRecipeIsConfigurable() {
        TrainingConfig search = GrowthSettings.from(Options.of(Map.of("search_optimizer", "adam", "search_lr", 0.002,
                "search_schedule", "constant", "search_epochs", 4))).searchConfig(STAGE_TWO);
        assertEquals("adam", search.optimizer());
        assertEquals(0.002, search.lr());
        assertEquals(LearningRateSchedule.Kind.CONSTANT, search.schedule());
        assertEquals(4, search.epochs());
    }

    @Test
    void badSearchRecipesAreRejectedNamingTheKey() {
        BenchException opt = assertThrows(BenchException.class,
                () -> GrowthSettings.from(Options.of(Map.of("search_optimizer", "rmsprop"))));
        assertTrue(opt.getMessage().contains("search_optimizer"), opt.getMessage());
        BenchException lr = assertThrows(BenchException.class,
                () -> GrowthSettings.from(Options.of(Map.of("search_lr", 0))));
        assertTrue(lr.getMessage().contains("search_lr"), lr.getMessage());
        BenchException sched = assertThrows(BenchException.class,
                () -> GrowthSettings.from(Options.of(Map.of("search_schedule", "linear"))));
        assertTrue(sched.getMessage().contains("search_schedule"), sched.getMessage());
    }
}
