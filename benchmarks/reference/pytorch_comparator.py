#!/usr/bin/env python3
"""The PyTorch comparator behind bfabench's two speed targets (issues 3 and 4), timed on this machine.

The issues compare bfabench with "PyTorch 1.13 running the BFA reference's quantized ResNet-20": a QAT
training step (batch 128, 3x32x32) and one progressive-bit-search iteration (attack batch 128, k_top 10).
This script is an independent re-statement of that workload in PyTorch, written from ALGORITHMS.md and the
reference's published structure, so the ratio can be measured in one sitting instead of quoted:

  * model: CIFAR ResNet-20 (16/32/64, option-A shortcuts, conv-BN-ReLU stem, global average pool, linear
    classifier with bias), every conv and the classifier 8-bit quantized with a per-layer step
    max|w| / (2^(N-1) - 1), rounded, straight-through gradient; batch norm in float;
  * training step: forward in train mode (weights re-quantized each step), cross-entropy, backward,
    SGD with Nesterov momentum 0.9 and weight decay;
  * PBS iteration, as the reference runs it: eval mode on integer codes x step, one forward+backward on the
    attack batch, then for every quantized layer the top-k_top in-layer bit search, the flip applied,
    a FULL forward of the batch for its loss, and the weights put back; the layer with the highest loss is
    committed (n grows while no layer raises the loss); then the accuracy on --eval images, as bfabench's
    PbsIterationBenchmark also counts it.

Data are random tensors of the right shape: the arithmetic, not the values, sets the time.
Run:  OMP_WAIT_POLICY=passive /usr/bin/python3 benchmarks/reference/pytorch_comparator.py
(Debian 12: apt-get install python3-torch gives PyTorch 1.13.1 with oneDNN 2.6.)
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BITS = 8
HALF_LEVELS = 2 ** (BITS - 1) - 1  # 127: codes in [-127, 127] after training, [-128, 127] once flipped
PLACE = torch.tensor([-(2 ** (BITS - 1))] + [2 ** b for b in range(BITS - 2, -1, -1)], dtype=torch.float32)


class RoundSte(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, step):
        return torch.round(torch.clamp(w / step, -HALF_LEVELS, HALF_LEVELS))

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Quantized:
    """Mixin: training quantizes the latent float weight; attack mode holds integer codes and a frozen step."""

    def init_quantized(self):
        self.codes_mode = False
        self.step = None

    def effective_weight(self):
        if self.codes_mode:
            return self.weight * self.step
        step = self.weight.detach().abs().max() / HALF_LEVELS
        return RoundSte.apply(self.weight, step) * step

    def freeze_codes(self):
        with torch.no_grad():
            self.step = self.weight.abs().max() / HALF_LEVELS
            self.weight.copy_(torch.round(torch.clamp(self.weight / self.step, -HALF_LEVELS, HALF_LEVELS)))
        self.codes_mode = True


class QConv(nn.Conv2d, Quantized):
    def __init__(self, cin, cout, stride):
        super().__init__(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.init_quantized()

    def forward(self, x):
        return F.conv2d(x, self.effective_weight(), None, self.stride, self.padding)


class QLinear(nn.Linear, Quantized):
    def __init__(self, fin, fout):
        super().__init__(fin, fout, bias=True)
        self.init_quantized()

    def forward(self, x):
        return F.linear(x, self.effective_weight(), self.bias)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv_a, self.bn_a = QConv(cin, cout, stride), nn.BatchNorm2d(cout)
        self.conv_b, self.bn_b = QConv(cout, cout, 1), nn.BatchNorm2d(cout)
        self.subsample = stride != 1 or cin != cout

    def forward(self, x):
        y = F.relu(self.bn_a(self.conv_a(x)))
        y = self.bn_b(self.conv_b(y))
        if self.subsample:  # option A: stride-2 subsampling, zero-padded channels
            x = x[:, :, ::2, ::2]
            x = torch.cat((x, torch.zeros_like(x)), 1)
        return F.relu(x + y)


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem, self.bn = QConv(3, 16, 1), nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                blocks.append(Block(cin, cout, stride if i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = QLinear(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.stem(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def quantized_layers(model):
    return [m for m in model.modules() if isinstance(m, Quantized)]


def flipped_codes(layer, k_top, n_flips):
    """The layer's codes with its n best eligible bit flips among the top-k |g| weights applied (ALGORITHMS.md §4)."""
    g = layer.weight.grad.detach().flatten()
    idx = g.abs().topk(min(k_top, g.numel())).indices
    codes = layer.weight.detach().flatten()[idx].to(torch.int64)
    unsigned = codes & (2 ** BITS - 1)
    bits = torch.stack([(unsigned >> (BITS - 1 - b)) & 1 for b in range(BITS)])  # MSB first, like PLACE
    bit_grad = g[idx].unsqueeze(0) * PLACE.unsqueeze(1)
    eligible = (bits == 0) & (bit_grad > 0) | (bits == 1) & (bit_grad < 0)  # loss rises to first order
    score = torch.where(eligible, bit_grad.abs(), torch.zeros_like(bit_grad)).flatten()
    new = layer.weight.detach().clone().flatten()
    if score.max() == 0:
        return new.view_as(layer.weight)
    for flat in score.topk(n_flips).indices.tolist():
        b, j = divmod(flat, idx.numel())
        u = int(unsigned[j]) ^ (1 << (BITS - 1 - b))
        unsigned[j] = u
        new[idx[j]] = float(u - 2 ** BITS if u >= 2 ** (BITS - 1) else u)
    return new.view_as(layer.weight)


def pbs_iteration(model, layers, x, y, k_top):
    model.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    base, best_loss, n = loss.item(), -1.0, 0
    with torch.no_grad():
        while best_loss <= base:
            n += 1
            for i, layer in enumerate(layers):
                clean = layer.weight.data
                layer.weight.data = flipped_codes(layer, k_top, n)
                trial = F.cross_entropy(model(x), y).item()
                layer.weight.data = clean
                if trial > best_loss:
                    best_loss, best = trial, i
        layers[best].weight.data = flipped_codes(layers[best], k_top, n)


def work_per_iteration(model, layers, batch, evaluation):
    """Multiply-accumulates of one PBS iteration in batch forwards (F) for both algorithms (see benchmarks/README.md).

    The reference re-runs the whole network for every layer's tentative loss and for the evaluation.
    bfabench's exact search re-runs only what a flip changes: the gradient pass's forward from the layer
    committed last, the tentative tail after each flipped layer (whose own output is patched in one
    channel) and the evaluation's tail from the committed layer; the backward pass is the same for both.
    Layers are weighted by the mean over which layer gets committed, uniform here.
    """
    macs = {}

    def count(module, inputs, output):
        per_output = module.weight[0].numel()
        macs[module] = output.numel() // output.shape[0] * per_output

    hooks = [m.register_forward_hook(count) for m in layers]
    with torch.no_grad():
        model(torch.zeros(1, 3, 32, 32))
    for h in hooks:
        h.remove()
    cost = [macs[m] for m in layers]
    full = sum(cost)
    suffix = [sum(cost[i + 1:]) / full for i in range(len(cost))]
    backward = (2 * full - cost[0]) / full  # weight gradients everywhere, input gradients after the stem
    mean_tail = sum(suffix) / len(suffix)
    reference = 1 + backward + len(layers) + evaluation / batch
    bfabench = mean_tail + backward + sum(suffix) + mean_tail * evaluation / batch
    return full, reference, bfabench


def median_seconds(run, repeats, warmup):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--eval", type=int, default=500)
    p.add_argument("--k-top", type=int, default=10)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = ResNet20()
    x, y = torch.randn(a.batch, 3, 32, 32), torch.randint(0, 10, (a.batch,))
    sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)

    def train_step():
        model.train()
        sgd.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        sgd.step()

    train, train_all = median_seconds(train_step, a.repeats, a.warmup)

    model.eval()
    layers = quantized_layers(model)
    for layer in layers:
        layer.freeze_codes()
    ex = torch.randn(a.eval, 3, 32, 32)
    ey = torch.randint(0, 10, (a.eval,))
    labels = model(x).argmax(1).detach()  # the attack batch is labelled by the clean model, as in bfabench

    with torch.no_grad():
        forward, _ = median_seconds(lambda: model(x), a.repeats, a.warmup)

    def iteration():
        pbs_iteration(model, layers, x, labels, a.k_top)
        with torch.no_grad():
            (model(ex).argmax(1) == ey).float().mean().item()

    pbs, pbs_all = median_seconds(iteration, a.repeats, a.warmup)
    full, reference, ours = work_per_iteration(model, layers, a.batch, a.eval)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(layers)} quantized layers, "
          f"{full / 1e6:.2f} M MAC per image")
    print(f"work per PBS iteration in batch-{a.batch} forwards: reference {reference:.1f} F, "
          f"bfabench {ours:.1f} F (ratio {reference / ours:.2f})")
    print(f"train_step_s median {train:.4f}  all " + " ".join(f"{t:.3f}" for t in train_all))
    print(f"eval_forward_s median {forward:.4f} (batch {a.batch}: {full * a.batch / forward / 1e9:.1f} G MAC/s)")
    print(f"pbs_iteration_s median {pbs:.4f}  all " + " ".join(f"{t:.3f}" for t in pbs_all))


if __name__ == "__main__":
    main()
