package org.bfabench.models;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.ModelArchitecture;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;

/**
 * {@code resnet20}: the CIFAR ResNet-20 of He et al. 2016 (§4.2), the model of the BFA and RA-BNN
 * CIFAR-10 experiments, for any input size.
 *
 * <p>Stem {@code conv1} (3×3, 16) → {@code bn1} → activation; three stages of three basic blocks with
 * widths 16/32/64; the first block of stages 2 and 3 has stride 2. Block {@code layerS.B} (S = 1..3,
 * B = 0..2): {@code layerS.B.conv1} (3×3, stride s) → {@code layerS.B.bn1} → activation →
 * {@code layerS.B.conv2} (3×3) → {@code layerS.B.bn2} → + shortcut → activation. Then global average
 * pooling → flatten → {@code fc} (classifier). Names follow the common PyTorch CIFAR ResNet
 * (torchvision-style {@code layer1.0.conv1}) so weights can be imported by name.
 *
 * <p>Shortcut where the shape changes ({@code shortcut} option):
 * <ul>
 *   <li>{@code A} (default): parameter-free subsample + zero-pad channels
 *       ({@link NetworkBuilder#subsamplePad}), as He et al. use on CIFAR and as the BFA reference's
 *       ResNet-20 does; it adds no attackable layer, and gives the familiar 0.27 M parameters
 *       (269,722 for 10 classes, batch-norm γ/β included);</li>
 *   <li>{@code B}: {@code layerS.0.shortcut.0} (1×1 conv, stride 2) → {@code layerS.0.shortcut.1} (BN),
 *       as RA-BNN's binary ResNet-20 does (272,474 parameters for 10 classes).</li>
 * </ul>
 *
 * <p>Width groups: everything added together must keep one width, so the stem and every block's
 * {@code conv2} (and a B shortcut conv) in stage S share group {@code stageS}; each block's
 * {@code conv1} is free-standing and is its own group.
 *
 * <p>Options: {@code widths} — the three stage widths (default {@code [16, 32, 64]}), or
 * {@code width_factor} scaling 16/32/64 (not both); {@code shortcut} — {@code A} or {@code B}.
 */
public final class ResNet20 implements ModelArchitecture {
    static final String ID = "resnet20";
    private static final List<Integer> BASE_WIDTHS = List.of(16, 32, 64);
    private static final int BLOCKS_PER_STAGE = 3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "CIFAR ResNet-20: stem, 3 stages x 3 basic blocks (16/32/64), global average pool, classifier;"
                + " shortcut A (default) or B";
    }

    @Override
    public <T> void describe(NetworkBuilder<T> b, Shape input, int numClasses, Options options) {
        ArchitectureOptions.requireKnown(ID, options, Set.of("widths", "width_factor", "shortcut"));
        ArchitectureOptions.requireClasses(ID, numClasses);
        boolean optionB = shortcutB(options);
        List<Integer> widths = widths(options);

        T x = b.conv("conv1", b.input(), new ConvSpec(widths.get(0), 3, 1, 1, group(1)));
        x = b.activation(b.batchNorm("bn1", x));
        int inWidth = widths.get(0);
        for (int stage = 1; stage <= widths.size(); stage++) {
            int width = widths.get(stage - 1);
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int stride = stage > 1 && block == 0 ? 2 : 1;
                x = basicBlock(b, "layer" + stage + "." + block, x, inWidth, width, stride, group(stage), optionB);
                inWidth = width;
            }
        }
        b.classifier("fc", b.flatten(b.globalAvgPool(x)), numClasses);
    }

    private static <T> T basicBlock(NetworkBuilder<T> b, String prefix, T in, int inWidth, int width, int stride,
            String group, boolean optionB) {
        String conv1 = prefix + ".conv1";
        T y = b.conv(conv1, in, new ConvSpec(width, 3, stride, 1, conv1));
        y = b.activation(b.batchNorm(prefix + ".bn1", y));
        y = b.conv(prefix + ".conv2", y, new ConvSpec(width, 3, 1, 1, group));
        y = b.batchNorm(prefix + ".bn2", y);
        T shortcut = in;
        if (stride != 1 || inWidth != width) {
            shortcut = optionB
                    ? b.batchNorm(prefix + ".shortcut.1",
                            b.conv(prefix + ".shortcut.0", in, new ConvSpec(width, 1, stride, 0, group)))
                    : b.subsamplePad(in, width, stride, group);
        }
        return b.activation(b.add(y, shortcut));
    }

    private static String group(int stage) {
        return "stage" + stage;
    }

    private static boolean shortcutB(Options options) {
        String s = options.getString("shortcut", "A").trim().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "A" -> false;
            case "B" -> true;
            default -> throw new BenchException(ID + ": option 'shortcut' must be A (parameter-free) or B (1x1 conv + BN),"
                    + " got '" + options.asMap().get("shortcut") + "'");
        };
    }

    private static List<Integer> widths(Options options) {
        if (options.has("widths") && options.has("width_factor")) {
            throw new BenchException(ID + ": give either option 'widths' or 'width_factor', not both");
        }
        if (options.has("width_factor")) {
            double f = ArchitectureOptions.positive(ID, options, "width_factor", 1.0);
            return BASE_WIDTHS.stream().map(w -> ArchitectureOptions.scaled(w, f)).toList();
        }
        List<Integer> widths = ArchitectureOptions.positiveInts(ID, options, "widths", BASE_WIDTHS);
        if (widths.size() != BASE_WIDTHS.size()) {
            throw new BenchException(ID + ": option 'widths' needs exactly 3 stage widths such as [16, 32, 64], got "
                    + widths);
        }
        return widths;
    }
}
