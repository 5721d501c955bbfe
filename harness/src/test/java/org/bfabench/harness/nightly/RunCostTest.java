package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCostTest {
    @TempDir
    Path tmp;

    private static final String CELLS = """
            "cells": [
              {"cell": "fashion-mnist/cnn-small/bnn/pbfa seed 1", "status": "ok", "training_seconds": 100.0,
               "model_from_cache": false, "attack_seconds": 10.0},
              {"cell": "fashion-mnist/cnn-small/bnn/random-flip seed 1", "status": "ok", "training_seconds": 100.0,
               "model_from_cache": true, "attack_seconds": 5.0},
              {"cell": "fashion-mnist/cnn-small/bnn/pbfa seed 2/7", "status": "ok", "training_seconds": 90.0,
               "model_from_cache": false, "attack_seconds": 4.0},
              {"cell": "fashion-mnist/cnn-small/bnn/pbfa seed 2/8", "status": "ok", "training_seconds": 90.0,
               "model_from_cache": true, "attack_seconds": 6.0},
              {"cell": "fashion-mnist/cnn-small/float/pbfa seed 1", "status": "n/a"}
            ]""";

    private Candidate candidate(String json) throws Exception {
        return RunCost.candidate("g", Files.writeString(tmp.resolve("g.run.json"), json));
    }

    @Test
    void eachModelIsTrainedOnceAndEveryAttackRunsWhenTheRunReusedCells() throws Exception {
        Candidate c = candidate("{\"shard\": \"all\", \"wall_seconds\": 3.0, " + CELLS + "}");
        assertEquals(Optional.of(Duration.ofSeconds(100 + 90 + 10 + 5 + 4 + 6)), c.estimate());
        assertTrue(c.source().startsWith("from "), c.source());
    }

    @Test
    void theWallClockOfAFreshUnshardedRunWinsWhenLongerThanItsCells() throws Exception {
        assertEquals(Optional.of(Duration.ofSeconds(400)),
                candidate("{\"shard\": \"all\", \"wall_seconds\": 400.0, " + CELLS + "}").estimate());
    }

    @Test
    void theWallClockOfOneShardIsNotTheGridsCost() throws Exception {
        assertEquals(Optional.of(Duration.ofSeconds(215)),
                candidate("{\"shard\": \"0/4\", \"wall_seconds\": 9000.0, " + CELLS + "}").estimate());
    }

    @Test
    void noReportOrAnUnreadableOneMeansUnknownWithTheReason() throws Exception {
        Candidate none = RunCost.candidate("g", tmp.resolve("missing.run.json"));
        assertEquals(Optional.empty(), none.estimate());
        assertTrue(none.source().contains("missing.run.json"), none.source());
        assertEquals(Optional.empty(), candidate("{ not json").estimate());
        assertEquals(Optional.empty(), candidate("{\"grid\": \"g\"}").estimate());
    }
}
