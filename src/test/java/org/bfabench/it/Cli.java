package org.bfabench.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.cli.Main;

/** Runs the bfabench CLI in-process, as {@code ./bfabench} would, and reads what it wrote. */
final class Cli {
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private Cli() {
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** @param workDir where the CLI's log goes when a command without --out fails */
    static Result run(Path workDir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), workDir);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static boolean fashionMnistInstalled() {
        return Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /** The leaderboard's rows (header names as keys). */
    static List<CSVRecord> board(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    static CSVRecord row(List<CSVRecord> board, String model, String defense, String attack) {
        return board.stream()
                .filter(r -> r.get("model").equals(model) && r.get("defense").equals(defense) && r.get("attack").equals(attack))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + model + "/" + defense + "/" + attack + " in " + board));
    }
}
