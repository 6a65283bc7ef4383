package dev.moodtag.support;

/**
 * A file moodtag writes for itself (a cache, a report) that the file system would not take: no space left, a read-only
 * file system, no permission. Its message is one line naming the file and the fault in words
 * ({@code LocalFailures.inWords}), and a command ends with it (exit code 1) rather than with a stack trace. Its own type,
 * not an {@link java.io.UncheckedIOException}, because those are a row's or a file's failure that a run counts and goes
 * on past: a full cache was counted as every later row failing to encode, and the training went on without them.
 */
public class UnwritableFile extends RuntimeException {

    public UnwritableFile(String message, Throwable cause) {
        super(message, cause);
    }
}
