package dev.moodtag.cli;

import dev.moodtag.function.FunctionStartup;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.AbandonedWrites;
import dev.moodtag.tagging.FunctionConfig;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--exit-when-ready", description = "Start exactly as served (pack verified, models loaded, HTTP "
            + "listening), then exit: 0 once every model is loaded, 1 with the reason when they failed to load. The "
            + "stores are not checked. For an image build's AOT-cache training run (Dockerfile.jvm), or to check a pack "
            + "before it is rolled out.")
    boolean exitWhenReady;

    private final LocalObjectStorage local;
    private final FunctionConfig functionConfig;
    private final FunctionStartup startup;

    public ServeCommand(LocalObjectStorage local, FunctionConfig functionConfig, FunctionStartup startup) {
        this.local = local;
        this.functionConfig = functionConfig;
        this.startup = startup;
    }

    @Override
    public Integer call() {
        if (exitWhenReady) {
            // The models load while Quarkus starts (FunctionStartup), so by now the process is as ready as it will be.
            if (startup.loaded()) {
                System.out.println("moodtag serve: ready");
                return 0;
            }
            System.err.println("moodtag serve: not ready: " + (startup.failure() != null ? startup.failure()
                    : "the models load only when the HTTP listener is on (quarkus.http.host-enabled)"));
            return 1;
        }
        // Requests may already be writing: only old .part files go.
        AbandonedWrites.sweep(local, functionConfig.result().suffix());
        Quarkus.waitForExit();
        return 0;
    }
}
