package org.bfabench.defenses.common;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bfabench.nn.graph.Network;
import org.bfabench.nn.graph.Node;
import org.bfabench.nn.layer.Param;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.surface.NetworkSurface;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.Batch;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Footprint;

/** A frozen {@link Network} as a {@link DefendedModel}: inference, footprint, save, attack surface. */
public final class DefendedNetwork implements DefendedModel {
    private final String defense;
    private final String version;
    private final Network network;
    private final NetworkSurface surface;
    private final Map<String, String> facts;

    public DefendedNetwork(String defense, String version, Network network, Map<String, String> facts) {
        this.defense = defense;
        this.version = version;
        this.network = network;
        this.surface = new NetworkSurface(network);
        Map<String, String> f = new LinkedHashMap<>(facts);
        f.put("attackable_layers", String.valueOf(surface.layers().size()));
        f.put("weight_kinds", String.join("-", network.weightedLayers().stream().map(l -> l.weights().kind()).distinct().toList()));
        this.facts = Map.copyOf(f);
    }

    public Network network() {
        return network;
    }

    @Override
    public int[] predict(Batch batch) {
        return surface.predict(batch);
    }

    @Override
    public Footprint footprint() {
        long bits = 0;
        long params = 0;
        for (AttackableLayer l : surface.layers()) {
            bits += l.totalBits();
            params += l.weightCount();
        }
        long side = 0;
        for (Node n : network.nodes()) {
            if (n.layer() instanceof WeightedLayer wl) {
                side += wl.weights().sideParameters();
                for (Param p : wl.params()) {
                    side += p.name().equals("bias") ? p.value().length : 0;
                }
            } else if (n.layer() != null) {
                for (Param p : n.layer().params()) {
                    side += p.value().length;
                }
                for (Param p : n.layer().buffers()) {
                    side += p.value().length;
                }
            }
        }
        return new Footprint(bits, params, side);
    }

    @Override
    public Map<String, String> facts() {
        return facts;
    }

    @Override
    public void save(Path file) {
        ModelFile.write(file, defense, version, surface.layers(), facts, NetworkState.of(network));
    }

    @Override
    public Optional<AttackSurface> attackSurface() {
        return Optional.of(surface);
    }

    @Override
    public void close() {
        // the kernels close their arrays as they return; only the fused program's reusable conv arrays remain
        surface.close();
    }
}
