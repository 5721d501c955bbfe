package org.bfabench.harness.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bfabench.harness.io.Json;

/**
 * How long regenerating a grid from scratch took last time, read from its {@code <grid>.run.json}.
 *
 * <p>{@code wall_seconds} alone understates the cost when that run reused cells from its store, and a
 * merged board has none, so the estimate is the larger of {@code wall_seconds} (unsharded runs only)
 * and the compute recorded per cell: each model's training time once per (dataset, model, defense,
 * training seed) plus every cell's attack time. A fresh nightly output directory has no model cache,
 * so every model is trained again.
 */
public final class RunCost {
    private RunCost() {
    }

    /** The estimate and where it came from; empty with the reason when there is no usable run report. */
    public static Candidate candidate(String grid, Path runJson) {
        if (!Files.isRegularFile(runJson)) {
            return new Candidate(grid, Optional.empty(), "no " + runJson + " to estimate from");
        }
        try {
            Optional<Duration> cost = estimate(Json.mapper().readTree(Files.readAllBytes(runJson)));
            return new Candidate(grid, cost, cost.isPresent() ? "from " + runJson : runJson + " records no timings");
        } catch (IOException e) {
            return new Candidate(grid, Optional.empty(), runJson + " is unreadable (" + e.getMessage() + ")");
        }
    }

    /** The estimate from a parsed run report; empty when it records neither wall time nor cell timings. */
    static Optional<Duration> estimate(JsonNode report) {
        if (report == null || !report.isObject()) {
            return Optional.empty();
        }
        double wall = "all".equals(report.path("shard").asText("")) ? report.path("wall_seconds").asDouble(0) : 0;
        Map<String, Double> training = new HashMap<>();
        double attacks = 0;
        boolean timed = false;
        for (JsonNode cell : report.path("cells")) {
            if (!cell.has("attack_seconds")) {
                continue;
            }
            timed = true;
            attacks += cell.path("attack_seconds").asDouble(0);
            training.merge(modelOf(cell.path("cell").asText("")), cell.path("training_seconds").asDouble(0), Math::max);
        }
        double cells = attacks + training.values().stream().mapToDouble(Double::doubleValue).sum();
        if (wall <= 0 && !timed) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(1000 * Math.max(wall, cells))));
    }

    /** "ds/model/defense/attack seed 3/7" → "ds/model/defense seed 3": the cells that share one trained model. */
    static String modelOf(String cellLabel) {
        int seed = cellLabel.lastIndexOf(" seed ");
        String path = seed < 0 ? cellLabel : cellLabel.substring(0, seed);
        String label = seed < 0 ? "" : cellLabel.substring(seed + 6);
        int lastSlash = path.lastIndexOf('/');
        int slash = label.indexOf('/');
        return (lastSlash < 0 ? path : path.substring(0, lastSlash)) + " seed " + (slash < 0 ? label : label.substring(0, slash));
    }
}
