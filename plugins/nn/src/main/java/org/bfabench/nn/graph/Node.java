package org.bfabench.nn.graph;

import org.bfabench.nn.layer.Layer;

/**
 * One node of a {@link Network}: a layer applied to earlier nodes' outputs (node 0 is the input).
 *
 * @param name   unique name (an architecture's layer name, or a generated one)
 * @param layer  the operation, null for the input node
 * @param inputs indices of earlier nodes
 * @param shape  output shape without the batch dimension
 */
public record Node(String name, Layer layer, int[] inputs, int[] shape) {
}
