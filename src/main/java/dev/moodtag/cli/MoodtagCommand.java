package dev.moodtag.cli;

import picocli.CommandLine.Command;

@Command(name = "moodtag", mixinStandardHelpOptions = true, version = "moodtag 0.1.0",
        description = "Tags recorded utterances with the speaker's emotion from text, speech and video.",
        subcommands = {EmbedCommand.class, TagCommand.class, BenchEmbedCommand.class, BenchCommand.class,
                DatasetCommand.class, TrainCommand.class, CombineCommand.class, ServeCommand.class, WatchCommand.class,
                StatusCommand.class,
                AsrEvalCommand.class})
public class MoodtagCommand {
}
