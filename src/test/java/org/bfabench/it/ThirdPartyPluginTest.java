package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A defense and an attack written against bfabench-spi alone (src/test/thirdparty), compiled and
 * jarred at test time, dropped into a plugins directory and run in one grid with built-in components.
 */
class ThirdPartyPluginTest {
    @TempDir
    Path tmp;

    @Test
    void aThirdPartyDefenseAndAttackJoinAGridNextToBuiltInsAndLandOnTheBoard() throws Exception {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        Path plugins = tmp.resolve("plugins");
        PluginJarBuilder.build(plugins.resolve("example-bfa.jar"), PluginJarBuilder.thirdPartySources(), Map.of(),
                "com.example.bfa.ExamplePlugin");
        Path grid = Files.writeString(tmp.resolve("thirdparty.yaml"), """
                name: thirdparty
                description: a third-party defense and attack next to built-in ones
                datasets: [fashion-mnist]
                models:
                  - id: mlp
                    options: {hidden: [64]}
                defenses: [quantized-8bit, plain-int8]
                attacks: [random-flip, greedy-sign]
                seeds: [1]
                training: {epochs: 2, batch_size: 64, train_limit: 6000, test_limit: 2000}
                attack: {flip_budget: 20, eval_size: 500}
                """);
        Path out = tmp.resolve("out");

        Cli.Result r = Cli.run(tmp, "run", "--grid", grid.toString(), "--out", out.toString(), "--plugins", plugins.toString(),
                "--offline");

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("plain-int8") && r.out().contains("greedy-sign"), "third-party report: " + r.out());
        List<CSVRecord> board = Cli.board(out.resolve("leaderboards/thirdparty.csv"));
        assertEquals(4, board.size(), board.toString());

        CSVRecord ownDefense = Cli.row(board, "mlp", "plain-int8", "random-flip");
        assertTrue(Double.parseDouble(ownDefense.get("clean_acc_mean")) > 75,
                "the plain-Java int8 MLP learns Fashion-MNIST: " + ownDefense);
        assertEquals(String.valueOf(8L * (784 * 64 + 64 * 10)), ownDefense.get("weight_bits"));

        // the gradient-guided attack hurts more than random flips, on the built-in defense and on its own
        CSVRecord ownAttackOnBuiltIn = Cli.row(board, "mlp", "quantized-8bit", "greedy-sign");
        for (String defense : List.of("quantized-8bit", "plain-int8")) {
            CSVRecord greedy = Cli.row(board, "mlp", defense, "greedy-sign");
            CSVRecord random = Cli.row(board, "mlp", defense, "random-flip");
            assertTrue(Double.parseDouble(greedy.get("acc_after_10_mean")) + 2 < Double.parseDouble(random.get("acc_after_10_mean")),
                    "greedy " + greedy + "\nrandom " + random);
            assertTrue(greedy.get("flips_by_layer").matches("(fc\\d*:\\d+;?)+"), greedy.get("flips_by_layer"));
        }
        assertTrue(ownDefense.get("plugins").contains("plain-int8"), ownDefense.get("plugins"));
        assertTrue(ownAttackOnBuiltIn.get("plugins").contains("greedy-sign"), ownAttackOnBuiltIn.get("plugins"));
    }
}
