package dev.moodtag.cli;

import dev.moodtag.support.SettingRange;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the command line can be answered with before Quarkus starts: {@code --help} and {@code --version} of any
 * command, usage errors, and inputs that do not exist. None of these needs a model, the CDI container or a port, and
 * starting them took seconds (and {@code moodtag serve --help} bound the HTTP port and loaded the function's models).
 *
 * <p>The command tree is parsed exactly as {@link MoodtagMain#run} parses it, with command objects whose
 * dependencies are null: the commands' constructors only keep their dependencies, and nothing here calls a command.
 */
final class BeforeStart {

    /** A command that can tell, from its arguments alone, that it cannot run. */
    interface Check {
        /** Why the command cannot run (shown after "moodtag NAME: "), or empty. */
        Optional<String> problemBeforeStart();
    }

    private BeforeStart() {
    }

    /**
     * How every command says that an input named on its command line is not there: the name as given, and where that
     * led from the working folder (a relative name is the usual surprise).
     */
    static Optional<String> missing(Path input) {
        return Files.exists(input) ? Optional.empty()
                : Optional.of(input + " does not exist (" + input.toAbsolutePath().normalize() + ")");
    }

    /** An option naming a file to read ({@code --manifest}, {@code --from-stats}): not there, or not a file. */
    static Optional<String> notAFile(String option, Path file) {
        if (Files.isRegularFile(file)) return Optional.empty();
        return Optional.of(option + " " + missing(file).orElse(file + " is not a file"));
    }

    /**
     * The most timed or untimed runs {@code bench} and {@code bench-embed} take: more than a day of runs at a second
     * each. They had no upper bound, and the array of a timing per run, made once the pack has loaded, cannot hold
     * 2147483647 (an OutOfMemoryError).
     */
    static final int MAX_RUNS = 100_000;

    /** The timed and untimed run counts of {@code bench} and {@code bench-embed}. */
    static Optional<String> runCounts(int runs, int warmup) {
        // --runs 0 or below ended in a stack trace after the pack had loaded (an array of -1 timings, a NaN median); a
        // negative --warmup was taken as none.
        return SettingRange.within("--runs", runs, 1, MAX_RUNS).or(() -> SettingRange.within("--warmup", warmup, 0, MAX_RUNS));
    }

    /** The exit code when the command line was answered here, or empty when Quarkus must start and run it. */
    static OptionalInt answer(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = MoodtagCommand.commandLine(new WithoutDependencies());
        cli.setOut(out);
        cli.setErr(err);
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            // As picocli's execute() answers a usage error: the message, the command's usage, exit code 2.
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            err.flush();
            return OptionalInt.of(CommandLine.ExitCode.USAGE);
        }
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            out.flush();
            return OptionalInt.of(help);
        }
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) leaf = leaf.subcommand();
        if (leaf == parsed) { // "moodtag" alone names no command
            cli.usage(err);
            err.flush();
            return OptionalInt.of(CommandLine.ExitCode.USAGE);
        }
        if (leaf.commandSpec().userObject() instanceof Check check) {
            Optional<String> problem = check.problemBeforeStart();
            if (problem.isPresent()) {
                err.println("moodtag " + leaf.commandSpec().name() + ": " + problem.get());
                err.flush();
                return OptionalInt.of(CommandLine.ExitCode.USAGE);
            }
        }
        return OptionalInt.empty();
    }

    /** Commands built with null (or zero) for every constructor argument; anything else by picocli's own factory. */
    static final class WithoutDependencies implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            Constructor<?>[] constructors = cls.getConstructors();
            if (constructors.length != 1 || constructors[0].getParameterCount() == 0)
                return CommandLine.defaultFactory().create(cls);
            Class<?>[] types = constructors[0].getParameterTypes();
            Object[] none = new Object[types.length];
            for (int i = 0; i < types.length; i++) if (types[i].isPrimitive()) none[i] = zero(types[i]);
            return cls.cast(constructors[0].newInstance(none));
        }

        private static Object zero(Class<?> primitive) {
            if (primitive == boolean.class) return false;
            if (primitive == char.class) return '\0';
            return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(primitive, 1), 0);
        }
    }
}
