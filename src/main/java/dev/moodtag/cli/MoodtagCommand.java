package dev.moodtag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Duration;
import java.time.format.DateTimeParseException;

@Command(name = "moodtag", mixinStandardHelpOptions = true, version = "moodtag 0.1.0",
        description = "Tags recorded utterances with the speaker's emotion from text, speech and video.",
        subcommands = {EmbedCommand.class, TagCommand.class, BenchEmbedCommand.class, BenchCommand.class,
                DatasetCommand.class, TrainCommand.class, CombineCommand.class, ServeCommand.class, WatchCommand.class,
                StatusCommand.class,
                AsrEvalCommand.class})
public class MoodtagCommand {

    /** The command tree with moodtag's own converters, as every caller parses it (before start and after). */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        return new CommandLine(MoodtagCommand.class, factory).registerConverter(Duration.class, MoodtagCommand::duration);
    }

    /**
     * picocli's own answer to "--timeout 0" named java.time.Duration and DateTimeParseException, not what to write;
     * a number of seconds too large for a Duration came back as an ArithmeticException.
     */
    static Duration duration(String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: write it in ISO-8601, "
                    + "e.g. PT10S, PT30M, PT24H or P7D");
        }
    }
}
