package org.bfabench.harness.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bfabench.spi.BenchException;

/** Finds the JMH benchmarks jar: the one given, else {@code benchmarks/target/benchmarks.jar} of this tree (built when missing). */
public final class BenchJar {
    private BenchJar() {
    }

    /**
     * @param given   {@code --jar}, if passed
     * @param option  the option's name, for the message
     * @param console where the build is announced
     */
    public static Path resolve(Optional<Path> given, String option, Processes processes, PrintStream console) {
        Path jar = given.map(Path::toAbsolutePath).orElseGet(() -> defaultJar(option, processes, console));
        if (!Files.isRegularFile(jar)) {
            throw new BenchException("benchmarks jar " + jar + " does not exist; build it with"
                    + " './mvnw -DskipTests -pl benchmarks -am package' or pass " + option);
        }
        return jar;
    }

    private static Path defaultJar(String option, Processes processes, PrintStream console) {
        Path root = treeRoot().orElseThrow(() -> new BenchException("cannot find the bfabench source tree of this"
                + " harness; pass " + option + " benchmarks/target/benchmarks.jar"));
        Path built = root.resolve("benchmarks").resolve("target").resolve("benchmarks.jar");
        if (!Files.isRegularFile(built)) {
            console.println("bench: building " + built + " (./mvnw -q -B -DskipTests -pl benchmarks -am package) ...");
            Path log = root.resolve("benchmarks").resolve("target").resolve("build.log");
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new BenchException("cannot create " + log.getParent() + " (" + e.getMessage() + ")", e);
            }
            processes.run(List.of(root.resolve("mvnw").toString(), "-q", "-B", "-f", root.resolve("pom.xml").toString(),
                    "-DskipTests", "-pl", "benchmarks", "-am", "package"), log, "building the benchmarks");
        }
        return built;
    }

    /** The source tree: two levels above harness/target/{classes, bfabench-harness-*.jar}. */
    private static Optional<Path> treeRoot() {
        try {
            Path code = Path.of(BenchJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent().getParent().getParent();
            return Files.isRegularFile(root.resolve("mvnw")) && Files.isRegularFile(root.resolve("benchmarks/pom.xml"))
                    ? Optional.of(root) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
