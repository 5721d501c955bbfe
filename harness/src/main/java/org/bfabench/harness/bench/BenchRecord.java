package org.bfabench.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.io.Json;
import org.bfabench.spi.BenchException;

/**
 * {@code leaderboards/throughput.run.json}: what the last {@code bfabench bench} into that directory ran
 * and how long it took, next to the {@code throughput.csv} it wrote. The nightly estimates the cost of
 * its throughput step from the committed one, as it estimates a grid from {@code <grid>.run.json}.
 *
 * <p>Keys: {@code wall_seconds} (from the first JMH start to the last JMH exit; building the jar is not
 * included), {@code quick}, {@code runs} (per JMH invocation: {@code method}, {@code models},
 * {@code defenses}), {@code configurations} (rows planned), {@code missing} (planned rows JMH gave no
 * result for) and {@code date} (UTC, the table's date column).
 *
 * @param wallSeconds    wall time of the JMH runs
 * @param quick          whether it was a {@code --quick} smoke run
 * @param runs           the JMH invocations, in order (their labels are not recorded)
 * @param configurations rows planned
 * @param missing        planned rows without a result
 * @param date           the date written into the table
 */
public record BenchRecord(double wallSeconds, boolean quick, List<JmhRun> runs, int configurations, int missing,
        String date) {
    /** Its file name in a {@code leaderboards} directory. */
    public static final String FILE = "throughput.run.json";

    public BenchRecord {
        runs = List.copyOf(runs);
    }

    public void write(Path file) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
        root.put("quick", quick);
        ArrayNode list = root.putArray("runs");
        for (JmhRun r : runs) {
            ObjectNode run = list.addObject();
            run.put("method", r.method());
            r.models().forEach(run.putArray("models")::add);
            r.defenses().forEach(run.putArray("defenses")::add);
            run.put("single_shot", r.singleShot());
        }
        root.put("configurations", configurations);
        root.put("missing", missing);
        root.put("date", date);
        try {
            AtomicFiles.write(file, Json.mapper().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + " (" + e.getMessage() + "); check --out", e);
        }
    }

    /** The record in {@code file}; a missing file or one without {@code wall_seconds} is a BenchException naming it. */
    public static BenchRecord read(Path file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BenchException(file + " is unreadable (" + e.getMessage() + "); rerun 'bfabench bench'", e);
        }
        if (root == null || !root.path("wall_seconds").isNumber() || !root.path("runs").isArray()) {
            throw new BenchException(file + " records no wall_seconds or runs; rerun 'bfabench bench'");
        }
        List<JmhRun> runs = new ArrayList<>();
        for (JsonNode r : root.path("runs")) {
            runs.add(new JmhRun("", r.path("method").asText(), texts(r.path("models")), texts(r.path("defenses")),
                    r.path("single_shot").asBoolean()));
        }
        return new BenchRecord(root.path("wall_seconds").asDouble(), root.path("quick").asBoolean(), runs,
                root.path("configurations").asInt(), root.path("missing").asInt(), root.path("date").asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Whether it ran exactly {@code plan} (same methods, models and defenses, in order) with the same {@code quick}. */
    public boolean ran(List<JmhRun> plan, boolean quick) {
        if (quick != this.quick || plan.size() != runs.size()) {
            return false;
        }
        for (int i = 0; i < plan.size(); i++) {
            JmhRun a = plan.get(i);
            JmhRun b = runs.get(i);
            if (!a.method().equals(b.method()) || !a.models().equals(b.models()) || !a.defenses().equals(b.defenses())) {
                return false;
            }
        }
        return true;
    }
}
