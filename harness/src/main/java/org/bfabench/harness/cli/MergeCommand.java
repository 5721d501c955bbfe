package org.bfabench.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bfabench.harness.run.Merger;
import org.bfabench.harness.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bfabench merge}: combines the result stores of shard runs into one store and one board. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge the result stores of shard runs (--shard i/N) into DIR/.bfabench/store/<grid>/ and write "
                + "DIR/leaderboards/<grid>.csv, identical to the board of one unsharded run.")
final class MergeCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the merged store and board go.")
    Path out;

    @Parameters(paramLabel = "STORE", arity = "1..*",
            description = "A shard run's --out directory, or a store directory .bfabench/store/<grid>/ itself.")
    List<Path> stores;

    MergeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        RunSummary summary = Merger.merge(stores, outDir);
        session.out().println(summary.consoleTable());
        session.out().printf("leaderboard: %s (%d cells, %d failed, %d not applicable)%n", summary.leaderboard(),
                summary.cellsRun() + summary.cellsReused(), summary.cellsFailed(), summary.cellsNotApplicable());
        return ExitCodes.ofRun(summary.cellsFailed());
    }
}
