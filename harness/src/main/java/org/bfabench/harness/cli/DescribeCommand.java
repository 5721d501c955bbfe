package org.bfabench.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.ModelContext;
import org.bfabench.spi.Options;
import org.bfabench.spi.ParameterSpec;
import org.bfabench.spi.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bfabench describe}: the parameters and buffers a model needs, as names for a weight-import mapping. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print every parameter and buffer a model built by a defense needs (bfabench name, shape, "
                + "whether attacks can flip it), in PyTorch state_dict naming, to write a 'bfabench import' mapping.")
final class DescribeCommand implements Callable<Integer> {
    /** Without a dataset the shapes are those of CIFAR-10 inputs (3x32x32, 10 classes). */
    static final Shape DEFAULT_INPUT = new Shape(3, 32, 32);
    static final int DEFAULT_CLASSES = 10;

    private final Session session;

    @Mixin
    ModelSelection selection = new ModelSelection();

    @Option(names = "--dataset", paramLabel = "ID",
            description = "Dataset whose input shape and classes to use (default: CIFAR-10 shapes, 3x32x32 and 10 classes, without loading data).")
    String dataset;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    DescribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        PluginRegistry registry = plugins.discover(session);
        LoadedComponent<ModelArchitecture> arch = ModelSelection.pick(registry.architectures(), selection.model, "model");
        LoadedComponent<Defense> defense = ModelSelection.pick(registry.defenses(), selection.defense, "defense");
        Shape input = DEFAULT_INPUT;
        int classes = DEFAULT_CLASSES;
        String inputNote = "CIFAR-10 shapes (no --dataset)";
        if (dataset != null) {
            Dataset d = selection.loadDataset(registry, dataset, Path.of("").toAbsolutePath(), session);
            input = d.inputShape();
            classes = d.numClasses();
            inputNote = dataset;
        }
        ModelContext ctx = new ModelContext(arch.component(), selection.architectureOptions(), input, classes, Options.empty());
        List<ParameterSpec> specs = defense.call(() -> defense.component().parameters(ctx));
        session.out().printf("%s under %s, input %s, %d classes (%s)%n", selection.model, selection.defense, input,
                classes, inputNote);
        session.out().print(format(specs));
        return ExitCodes.OK;
    }

    static String format(List<ParameterSpec> specs) {
        int w = Math.max(4, specs.stream().mapToInt(s -> s.name().length()).max().orElse(0));
        int sw = Math.max(5, specs.stream().mapToInt(s -> s.shapeString().length()).max().orElse(0));
        StringBuilder b = new StringBuilder();
        String row = "%-" + w + "s  %-" + sw + "s  %-9s  %s%n";
        b.append(String.format(row, "name", "shape", "kind", "attackable"));
        long values = 0;
        long attackable = 0;
        for (ParameterSpec s : specs) {
            b.append(String.format(row, s.name(), s.shapeString(), s.buffer() ? "buffer" : "parameter",
                    s.attackable() ? "yes" : "no"));
            long n = 1;
            for (int d : s.shape()) {
                n *= d;
            }
            values += n;
            attackable += s.attackable() ? n : 0;
        }
        b.append(String.format("%d arrays, %,d values, %,d attackable weights%n", specs.size(), values, attackable));
        if (attackable > 0) {
            b.append(String.format("attackable weights are float (quantized on import) or integer codes with a scalar"
                    + " step under '<key>.step'%n"));
        }
        return b.toString();
    }
}
