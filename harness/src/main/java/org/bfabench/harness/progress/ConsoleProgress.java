package org.bfabench.harness.progress;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on the console (me.tongfei progressbar, on stderr so that stdout keeps the results):
 * one bar per task a component starts (a training run's epochs, an attack's flips). Without a terminal
 * (CI logs, pipes) a redrawn bar would be one endless line, so the bar is printed as a plain line every
 * 10 seconds instead.
 */
public final class ConsoleProgress implements ProgressFactory {

    @com.google.inject.Inject
    public ConsoleProgress() {
    }

    @Override
    public TaskProgress open(String label) {
        return new Bars(label);
    }

    /** Plugins may report from any thread, hence the synchronisation. */
    private static final class Bars implements TaskProgress {
        private final String label;
        private ProgressBar bar;

        Bars(String label) {
            this.label = label;
        }

        @Override
        public synchronized void start(String task, long total) {
            closeBar();
            ProgressBarBuilder b = new ProgressBarBuilder()
                    .setTaskName(task == null || task.isEmpty() ? label : label + " " + task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setMaxRenderedLength(110)
                    .continuousUpdate();
            if (System.console() == null) {
                b.setUpdateIntervalMillis(10_000).setConsumer(new DelegatingProgressBarConsumer(System.err::println, 110));
            } else {
                b.setUpdateIntervalMillis(500);
            }
            bar = b.build();
        }

        @Override
        public synchronized void step(long done, String message) {
            if (bar != null) {
                bar.stepTo(done);
                if (message != null && !message.isEmpty()) {
                    bar.setExtraMessage(message);
                }
            }
        }

        @Override
        public synchronized void close() {
            closeBar();
        }

        private void closeBar() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
