package org.bfabench.benchmarks.defended;

import java.util.concurrent.TimeUnit;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Batch;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DefendedModel;
import org.bfabench.spi.Options;
import org.bfabench.spi.Progress;
import org.bfabench.spi.WeightSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seconds per Progressive Bit Search iteration (Rakin et al., ICCV 2019, §4): the real {@code pbfa} attack
 * run for {@value #ITERATIONS} iterations (attack batch 128, {@code k_top} 10) against a defended model on
 * CIFAR-shaped inputs. Each iteration is one loss-and-gradient pass on the attack batch, at least one
 * tentative {@code lossWith} per layer, the commit and the accuracy on {@value #EVALUATION} evaluation
 * images. The score is one run divided by {@value #ITERATIONS}, so it also carries a share of the run's
 * one-off work (drawing and labelling the attack batch, the clean accuracy). The weights are restored
 * after every run, so every invocation repeats the same search; an invocation whose run did not make
 * exactly {@value #ITERATIONS} single-flip iterations fails the benchmark instead of reporting a wrong
 * per-iteration figure.
 *
 * <p>The heap is 6 GB as for a CIFAR-10 resnet20 grid cell: the attack batch's evaluator caches every
 * node's activation (about 2.8 MB per image for resnet20 on 3×32×32) for its gradients, and the evaluation
 * batch's evaluator the values a re-run from any layer needs (about a third of that).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class PbsIterationBenchmark {
    static final int ITERATIONS = 4;
    static final int ATTACK_BATCH = 128;
    static final int EVALUATION = 500;

    @Param({"resnet20"})
    public String model;

    @Param({"quantized-8bit"})
    public String defense;

    private DefendedModel defended;
    private AttackSurface surface;
    private WeightSnapshot clean;
    private Attack pbfa;
    private AttackContext context;
    private AttackTrace last;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Fixtures.cifarShaped(ATTACK_BATCH * 4, EVALUATION);
        defended = Fixtures.train(defense, model, data, 1, ATTACK_BATCH);
        surface = defended.attackSurface().orElseThrow(() -> new IllegalStateException(defense + " has no attack surface"));
        clean = surface.snapshot();
        pbfa = Fixtures.attack("pbfa");
        Batch evaluation = data.test().all();
        // a threshold below zero never stops the run early: every invocation spends exactly the budget
        context = new AttackContext(surface, data.train(), evaluation, data.numClasses(), ITERATIONS, -1.0,
                Fixtures.SEED, Options.of(java.util.Map.of("batch_size", ATTACK_BATCH, "k_top", 10)), Progress.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS)
    public AttackTrace pbs() {
        last = pbfa.run(context);
        return last;
    }

    @TearDown(Level.Invocation)
    public void restore() {
        surface.restore(clean);
        int iterations = last.events().isEmpty() ? 0 : last.events().get(last.events().size() - 1).iteration();
        if (last.flips() != ITERATIONS || iterations != ITERATIONS) {
            throw new IllegalStateException("pbfa made " + iterations + " iterations with " + last.flips()
                    + " flips (" + last.stopReason() + ": " + last.detail() + "); expected " + ITERATIONS
                    + " single-flip iterations");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        defended.close();
    }
}
