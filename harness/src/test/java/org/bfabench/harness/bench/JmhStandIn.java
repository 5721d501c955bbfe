package org.bfabench.harness.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bfabench.harness.io.Json;

/**
 * Stands in for the benchmarks jar's process, not for the harness: reads the JMH command line the harness
 * built (benchmark regex, {@code -p model=…}, {@code -p defense=…}, {@code -rff}) and writes the
 * {@code -rf json} file JMH 1.37 writes, field for field as in a real run of
 * {@code PbsIterationBenchmark.pbs} / {@code InferenceBenchmark.model} on this machine. The measured
 * numbers come from the test; a configuration it has none for is left out, as JMH leaves out one that
 * failed.
 */
public final class JmhStandIn implements Processes {
    private static final String PREFIX = "^org\\.bfabench\\.benchmarks\\.defended\\.";

    /** What the stand-in measured for one configuration: JMH's score, its error and the raw samples. */
    public record Measured(double score, double error, double... raw) {
    }

    /** One configuration as the command line asks for it. */
    public record Config(String method, String model, String defense) {
    }

    private final Function<Config, Optional<Measured>> results;
    private final Runnable eachRun;
    private final List<List<String>> commands = new ArrayList<>();

    /** @param eachRun called once per JMH invocation (e.g. to move a test clock by its wall time) */
    public JmhStandIn(Function<Config, Optional<Measured>> results, Runnable eachRun) {
        this.results = results;
        this.eachRun = eachRun;
    }

    /** Every command line it was given, in order. */
    public List<List<String>> commands() {
        return List.copyOf(commands);
    }

    @Override
    public void run(List<String> command, Path log, String what) {
        commands.add(List.copyOf(command));
        eachRun.run();
        String regex = command.stream().filter(a -> a.startsWith(PREFIX)).findFirst().orElseThrow();
        String method = regex.substring(PREFIX.length(), regex.length() - 1).replace("\\.", ".");
        List<String> models = param(command, "model");
        List<String> defenses = param(command, "defense");
        Path json = Path.of(command.get(command.indexOf("-rff") + 1));
        ArrayNode root = Json.mapper().createArrayNode();
        for (String model : models) {
            for (String defense : defenses) {
                results.apply(new Config(method, model, defense)).ifPresent(m -> entry(root.addObject(), method, model,
                        defense, m));
            }
        }
        try {
            Files.writeString(log, "# JMH version: 1.37\n# Benchmark: org.bfabench.benchmarks.defended." + method + "\n");
            Files.write(json, Json.mapper().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> param(List<String> command, String name) {
        for (int i = 0; i + 1 < command.size(); i++) {
            if (command.get(i).equals("-p") && command.get(i + 1).startsWith(name + "=")) {
                return List.of(command.get(i + 1).substring(name.length() + 1).split(","));
            }
        }
        throw new AssertionError("no -p " + name + "=… in " + command);
    }

    private static void entry(ObjectNode e, String method, String model, String defense, Measured m) {
        boolean singleShot = !method.startsWith("InferenceBenchmark.");
        e.put("jmhVersion", "1.37");
        e.put("benchmark", "org.bfabench.benchmarks.defended." + method);
        e.put("mode", singleShot ? "ss" : "thrpt");
        e.put("threads", 1);
        e.put("forks", 1);
        e.put("jvm", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        e.putArray("jvmArgs").add("-Xmx512m").add("-Xmx2g").add("-Dorg.bytedeco.javacpp.maxbytes=3G")
                .add("-Dorg.bytedeco.javacpp.maxphysicalbytes=5G");
        e.put("jdkVersion", "17.0.15");
        e.put("vmName", "OpenJDK 64-Bit Server VM");
        e.put("vmVersion", "17.0.15+6-Debian-1deb12u1");
        e.put("warmupIterations", 2);
        e.put("warmupTime", singleShot ? "single-shot" : "10 s");
        e.put("warmupBatchSize", 1);
        e.put("measurementIterations", m.raw().length);
        e.put("measurementTime", singleShot ? "single-shot" : "10 s");
        e.put("measurementBatchSize", 1);
        e.putObject("params").put("defense", defense).put("model", model);
        ObjectNode metric = e.putObject("primaryMetric");
        metric.put("score", m.score());
        if (Double.isNaN(m.error())) {
            metric.put("scoreError", "NaN");
        } else {
            metric.put("scoreError", m.error());
        }
        metric.putArray("scoreConfidence").add(m.score() - m.error()).add(m.score() + m.error());
        double[] sorted = m.raw().clone();
        Arrays.sort(sorted);
        ObjectNode percentiles = metric.putObject("scorePercentiles");
        for (String p : List.of("0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999", "99.9999", "100.0")) {
            int at = (int) Math.min(sorted.length - 1, Math.round(Double.parseDouble(p) / 100 * (sorted.length - 1)));
            percentiles.put(p, sorted[at]);
        }
        metric.put("scoreUnit", singleShot ? "s/op" : "ops/s");
        ArrayNode fork = metric.putArray("rawData").addArray();
        Arrays.stream(m.raw()).forEach(fork::add);
        e.putObject("secondaryMetrics");
    }
}
