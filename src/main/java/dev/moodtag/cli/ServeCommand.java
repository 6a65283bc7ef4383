package dev.moodtag.cli;

import dev.moodtag.function.FunctionStartup;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.AbandonedWrites;
import dev.moodtag.tagging.FunctionConfig;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code moodtag serve}: the storage-event function over HTTP (CloudEvents on {@code POST /}, plain JSON on
 * {@code POST /recognize}, health and metrics under {@code /q}) until the process is stopped. Models were loaded
 * at start-up ({@code FunctionStartup}).
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the storage-event function over HTTP (port: quarkus.http.port, default 8080).")
public class ServeCommand implements Callable<Integer> {

    /** The command that keeps the HTTP listener; every other command runs without one. */
    public static final String NAME = "serve";

    private final LocalObjectStorage local;
    private final FunctionConfig functionConfig;

    public ServeCommand(LocalObjectStorage local, FunctionConfig functionConfig) {
        this.local = local;
        this.functionConfig = functionConfig;
    }

    @Override
    public Integer call() {
        // Requests may already be writing: only old .part files go.
        AbandonedWrites.sweep(local, functionConfig.result().suffix());
        Quarkus.waitForExit();
        return 0;
    }
}
