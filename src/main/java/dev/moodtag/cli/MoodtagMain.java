package dev.moodtag.cli;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.UnwritableFile;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Entry point: the picocli command tree, with commands and their dependencies created by CDI. This is what the
 * quarkus-picocli extension does; that extension is not available in the repository we build from.
 *
 * <p>The application includes an HTTP server (the storage-event function). Only {@code moodtag serve} should
 * listen: {@link #main} turns the HTTP listener off for every other command before Quarkus starts, so
 * {@code moodtag embed} neither binds a port nor loads the function's models twice.
 */
@QuarkusMain
public class MoodtagMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(MoodtagMain.class);

    static final String HTTP_HOST_ENABLED = "quarkus.http.host-enabled";

    public static void main(String... args) {
        // --help, --version, usage errors and missing inputs need no models, container or port: answered at once.
        OptionalInt early = BeforeStart.answer(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (early.isPresent()) {
            // Quarkus's own exit path: System.exit in production, the launcher's recorded exit code in tests.
            ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(early.getAsInt(), null);
            return;
        }
        boolean serve = args.length > 0 && ServeCommand.NAME.equals(args[0]);
        String before = System.getProperty(HTTP_HOST_ENABLED);
        // An explicit setting (system property or QUARKUS_HTTP_HOST_ENABLED) still wins for CLI commands.
        if (!serve && before == null && System.getenv("QUARKUS_HTTP_HOST_ENABLED") == null)
            System.setProperty(HTTP_HOST_ENABLED, "false");
        String command = args.length > 0 ? args[0] : "";
        PrintStream err = System.err;
        // Quarkus prints a setting SmallRye could not convert over two lines of SmallRye's codes, before any of our
        // code runs: that print is held back, and the exit handler says it in words (UnreadableSettings)
        System.setErr(new WithoutUnreadableSettings(err));
        try {
            Quarkus.run(MoodtagMain.class, (code, failure) -> {
                System.setErr(err);
                Optional<String> unreadable = failure == null ? Optional.empty() : UnreadableSettings.inWords(failure);
                unreadable.ifPresent(words -> {
                    err.println("moodtag " + command + ": " + (serve ? "not ready: " : "") + words);
                    err.flush();
                });
                ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
            }, args);
        } finally {
            System.setErr(err);
            // Quarkus.run returns only when embedded (tests): leave the JVM's properties as they were.
            if (before == null) System.clearProperty(HTTP_HOST_ENABLED);
            else System.setProperty(HTTP_HOST_ENABLED, before);
        }
    }

    /**
     * System.err while Quarkus starts, less the print of settings SmallRye could not convert, which {@link #main}'s exit
     * handler says in words; everything else passes.
     */
    static final class WithoutUnreadableSettings extends PrintStream {
        private final PrintStream to;

        WithoutUnreadableSettings(PrintStream to) {
            super(to, true);
            this.to = to;
        }

        // Text goes to the stream it replaces as it is, to be encoded there (as System.err encodes it)
        @Override
        public void println(String x) {
            if (x == null || !x.startsWith(UnreadableSettings.QUARKUS_HEADLINE)) to.println(x);
        }

        @Override
        public void print(String x) {
            to.print(x);
        }
    }

    @Override
    public int run(String... args) {
        if (System.err instanceof WithoutUnreadableSettings started) System.setErr(started.to); // the settings were read
        if (!LocalObjectStorage.FILE_NAMES_IN_UTF8)
            LOG.warnf("file names are encoded as %s (the locale is %s): a file whose name is not ASCII cannot be read; "
                    + "run moodtag under a UTF-8 locale (LANG=C.UTF-8)", System.getProperty("sun.jnu.encoding"),
                    Optional.ofNullable(System.getenv("LC_ALL")).or(() -> Optional.ofNullable(System.getenv("LANG"))).orElse("unset"));
        CommandLine cli;
        try {
            // Building the tree creates every command with the singletons it injects (the media decoder checks its
            // settings there); parsing creates the command's models: a setting out of range or a pack that does not
            // load fails here, where execute() would print picocli's InitializationException with its whole stack
            // trace (60 lines).
            cli = MoodtagCommand.commandLine(new CdiFactory()).setExecutionExceptionHandler(MoodtagMain::inputRefused);
            try {
                cli.parseArgs(args);
            } catch (CommandLine.ParameterException usage) {
                // execute() answers it, as a usage error
            }
        } catch (CommandLine.InitializationException e) {
            Optional<RuntimeException> refusal = startRefusal(e);
            if (refusal.isEmpty()) throw e;
            return startRefused(args.length > 0 ? args[0] : "", refusal.get(), new PrintWriter(System.err, true));
        }
        return cli.execute(args);
    }

    /**
     * The model pack's failure, the setting out of range or the file that could not be written behind {@code e}, if that
     * is what it is.
     */
    static Optional<RuntimeException> startRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof ModelPackException || t instanceof SettingOutOfRange || t instanceof UnwritableFile)
                return Optional.of((RuntimeException) t);
        return Optional.empty();
    }

    /**
     * A model pack that does not load (a file missing, a checksum that does not match, a classifier that is not the
     * one it names), a setting out of its range or a file moodtag could not write (a full or read-only file system) stops
     * the command in one line that names what is wrong, exit code 1; the trace at debug level.
     */
    static int startRefused(String command, RuntimeException e, PrintWriter err) {
        LOG.debug("moodtag " + command + ": refused to start", e);
        err.println("moodtag " + command + ": " + e.getMessage());
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * An input or option a command cannot use (a manifest, a label map, a fold scheme, a statistics file) is answered
     * in one line with what is wrong and exit code 2, as a usage error is; anything else keeps its stack trace.
     */
    static int inputRefused(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        Optional<RuntimeException> refusal = startRefusal(e);
        if (refusal.isPresent()) return startRefused(command.getCommandName(), refusal.get(), command.getErr());
        if (!(e instanceof IllegalArgumentException)) throw e;
        LOG.debug("moodtag " + command.getCommandName() + " refused its input", e);
        command.getErr().println("moodtag " + command.getCommandName() + ": " + e.getMessage());
        command.getErr().flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** Beans come from the CDI container; anything else (picocli's own helpers) from picocli's default factory. */
    static final class CdiFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            InstanceHandle<K> bean = Arc.container().instance(cls);
            return bean.isAvailable() ? bean.get() : CommandLine.defaultFactory().create(cls);
        }
    }
}
