package org.bfabench.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bfabench.spi.ConvSpec;
import org.bfabench.spi.NetworkBuilder;
import org.bfabench.spi.Shape;

/**
 * A test-only {@link NetworkBuilder} that propagates shapes, counts trainable parameters the way
 * PyTorch does (conv weights, linear weights (+ bias), classifier weights + bias, batch-norm γ and β;
 * running statistics are buffers, not parameters), and fails on anything a real builder could not
 * build: duplicate names, mismatched adds, adds across different width groups, a width group with two
 * widths, a linear on an unflattened tensor, calls after the classifier.
 *
 * <p>Shape rules: conv and pools {@code floor((h + 2p − k) / s) + 1}; {@code subsamplePad} keeps every
 * {@code stride}-th pixel starting at 0 ({@code ceil(h / s)}), as {@code x[:, :, ::s, ::s]} does.
 */
final class ShapeTracer implements NetworkBuilder<ShapeTracer.Node> {

    /** A tensor of one image: channels × height × width, and the width group that fixes its channels. */
    record Node(int c, int h, int w, boolean flat, String group) {
        int size() {
            return c * h * w;
        }
    }

    private final Shape input;
    private final Set<String> names = new HashSet<>();
    private final Map<String, Integer> groupWidths = new LinkedHashMap<>();
    private final Map<String, String> convGroups = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final List<String> attackable = new ArrayList<>();
    private long params;
    private int adds;
    private Node output;

    ShapeTracer(Shape input) {
        this.input = input;
    }

    long params() {
        return params;
    }

    Node output() {
        return output;
    }

    List<String> events() {
        return events;
    }

    /** Conv, linear and classifier names in call order. */
    List<String> attackableLayers() {
        return attackable;
    }

    Map<String, String> convGroups() {
        return convGroups;
    }

    Map<String, Integer> groupWidths() {
        return groupWidths;
    }

    int adds() {
        return adds;
    }

    private void open(String event) {
        if (output != null) {
            throw new AssertionError("call after the classifier: " + event);
        }
        events.add(event);
    }

    private void name(String name) {
        if (!names.add(name)) {
            throw new AssertionError("duplicate layer name " + name);
        }
    }

    private static void requireSpatial(Node in, String op) {
        if (in.flat) {
            throw new AssertionError(op + " on a flattened tensor");
        }
    }

    @Override
    public Node input() {
        open("input " + input);
        return new Node(input.channels(), input.height(), input.width(), false, null);
    }

    @Override
    public Node conv(String name, Node in, ConvSpec s) {
        open("conv " + name + " " + in + " " + s);
        name(name);
        requireSpatial(in, "conv " + name);
        Integer prior = groupWidths.putIfAbsent(s.widthGroup(), s.outChannels());
        if (prior != null && prior != s.outChannels()) {
            throw new AssertionError("width group " + s.widthGroup() + " has widths " + prior + " and " + s.outChannels());
        }
        convGroups.put(name, s.widthGroup());
        attackable.add(name);
        params += (long) in.c * s.outChannels() * s.kernel() * s.kernel();
        int h = (in.h + 2 * s.padding() - s.kernel()) / s.stride() + 1;
        int w = (in.w + 2 * s.padding() - s.kernel()) / s.stride() + 1;
        if (h < 1 || w < 1) {
            throw new AssertionError("conv " + name + " output is empty");
        }
        return new Node(s.outChannels(), h, w, false, s.widthGroup());
    }

    @Override
    public Node batchNorm(String name, Node in) {
        open("bn " + name + " " + in);
        name(name);
        params += 2L * in.c;
        return in;
    }

    @Override
    public Node activation(Node in) {
        open("act " + in);
        return in;
    }

    @Override
    public Node maxPool(Node in, int kernel, int stride) {
        open("maxpool " + kernel + "/" + stride + " " + in);
        return pool(in, kernel, stride);
    }

    @Override
    public Node avgPool(Node in, int kernel, int stride) {
        open("avgpool " + kernel + "/" + stride + " " + in);
        return pool(in, kernel, stride);
    }

    private static Node pool(Node in, int kernel, int stride) {
        requireSpatial(in, "pool");
        int h = (in.h - kernel) / stride + 1;
        int w = (in.w - kernel) / stride + 1;
        if (h < 1 || w < 1) {
            throw new AssertionError("pool output is empty for " + in);
        }
        return new Node(in.c, h, w, false, in.group);
    }

    @Override
    public Node globalAvgPool(Node in) {
        open("gap " + in);
        requireSpatial(in, "globalAvgPool");
        return new Node(in.c, 1, 1, false, in.group);
    }

    @Override
    public Node flatten(Node in) {
        open("flatten " + in);
        return new Node(in.size(), 1, 1, true, null);
    }

    @Override
    public Node add(Node a, Node b) {
        open("add " + a + " " + b);
        if (a.c != b.c || a.h != b.h || a.w != b.w || a.flat != b.flat) {
            throw new AssertionError("add of different shapes " + a + " and " + b);
        }
        if (a.group == null || !a.group.equals(b.group)) {
            throw new AssertionError("add across width groups " + a.group + " and " + b.group);
        }
        adds++;
        return a;
    }

    @Override
    public Node subsamplePad(Node in, int outChannels, int stride, String widthGroup) {
        open("subsamplePad " + outChannels + "/" + stride + "/" + widthGroup + " " + in);
        requireSpatial(in, "subsamplePad");
        if (outChannels < in.c) {
            throw new AssertionError("subsamplePad cannot shrink " + in.c + " to " + outChannels);
        }
        return new Node(outChannels, (in.h + stride - 1) / stride, (in.w + stride - 1) / stride, false, widthGroup);
    }

    @Override
    public Node linear(String name, Node in, int outFeatures, boolean bias) {
        open("linear " + name + " " + in + " " + outFeatures + " bias=" + bias);
        name(name);
        if (!in.flat) {
            throw new AssertionError("linear " + name + " on an unflattened tensor " + in);
        }
        attackable.add(name);
        params += (long) in.c * outFeatures + (bias ? outFeatures : 0);
        return new Node(outFeatures, 1, 1, true, null);
    }

    @Override
    public Node classifier(String name, Node in, int numClasses) {
        open("classifier " + name + " " + in + " " + numClasses);
        name(name);
        if (!in.flat) {
            throw new AssertionError("classifier on an unflattened tensor " + in);
        }
        attackable.add(name);
        params += (long) in.c * numClasses + numClasses;
        output = new Node(numClasses, 1, 1, true, null);
        return output;
    }
}
