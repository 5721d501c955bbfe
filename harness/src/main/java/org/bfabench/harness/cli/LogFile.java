package org.bfabench.harness.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The log file {@code <out>/.bfabench/bfabench.log}, attached to logback programmatically because its
 * place depends on {@code --out}, which is only known after the command line is parsed. {@code run} and
 * {@code merge} attach it at once; {@code list} and {@code grids} only when they fail, under the working
 * directory, so that listing leaves no trace. Appends across runs.
 */
final class LogFile implements AutoCloseable {
    /** Logger for failures with stack traces: file only (no console appender, additivity off in logback.xml). */
    static final String FAILURES = "bfabench.failures";

    private final Path path;
    private final Optional<FileAppender<ILoggingEvent>> appender;

    private LogFile(Path path, Optional<FileAppender<ILoggingEvent>> appender) {
        this.path = path;
        this.appender = appender;
    }

    static Path pathUnder(Path outDir) {
        return outDir.resolve(".bfabench").resolve("bfabench.log").toAbsolutePath().normalize();
    }

    /** Starts logging to {@code <outDir>/.bfabench/bfabench.log}. */
    static LogFile open(Path outDir) {
        Path path = pathUnder(outDir);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return new LogFile(path, Optional.empty()); // another SLF4J provider is in charge of logging
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName("bfabench-file-" + path);
        file.setFile(path.toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
        ctx.getLogger(FAILURES).addAppender(file);
        return new LogFile(path, Optional.of(file));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        appender.ifPresent(file -> {
            LoggerContext ctx = (LoggerContext) file.getContext();
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(file);
            ctx.getLogger(FAILURES).detachAppender(file);
            file.stop();
        });
    }
}
