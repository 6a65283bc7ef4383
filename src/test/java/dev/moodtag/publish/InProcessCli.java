package dev.moodtag.publish;

import dev.moodtag.cli.MoodtagCommand;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a moodtag command in the test's Quarkus application, parsed by picocli as {@code MoodtagMain} parses it, with
 * its beans from the container, and captures what it prints: the command under test talks to the function this same
 * application serves on its test port.
 */
final class InProcessCli {
    private InProcessCli() {
    }

    record Run(int exitCode, String output) {
    }

    static synchronized Run run(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = MoodtagCommand.commandLine(new CommandLine.IFactory() {
                @Override
                public <K> K create(Class<K> cls) throws Exception {
                    InstanceHandle<K> bean = Arc.container().instance(cls);
                    return bean.isAvailable() ? bean.get() : CommandLine.defaultFactory().create(cls);
                }
            }).execute(args);
        } finally {
            System.setOut(before);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        before.print(out);
        return new Run(code, out);
    }
}
