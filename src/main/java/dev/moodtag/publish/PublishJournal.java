package dev.moodtag.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The publish log: one JSON line per object and publish ({@link PublishRecord}), appended and flushed as each object
 * ends, so that an interrupted publish (Ctrl-C, a killed Job) loses at most the events in flight. The next publish
 * reads which event ids a sink acknowledged and does not send them again; those in flight are sent again with the
 * same id, and the function's skip-if-done makes that harmless.
 */
public final class PublishJournal implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Set<String> acknowledged;
    private final BufferedWriter out;

    private PublishJournal(Path file, Set<String> acknowledged, BufferedWriter out) {
        this.file = file;
        this.acknowledged = acknowledged;
        this.out = out;
    }

    /** Reads what earlier publishes acknowledged and opens the file for appending (created with its folder). */
    public static PublishJournal open(Path file) throws IOException {
        Set<String> acked = new HashSet<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // the last line of a publish killed while writing it: that object is sent again
                }
                if (n != null && PublishState.PUBLISHED.label().equals(n.path("state").asText()))
                    acked.add(n.path("eventId").asText());
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        // A line cut short by a kill would glue itself to the next one: start on a line of our own.
        if (Files.size(file) > 0 && lastByte(file) != '\n') out.write('\n');
        return new PublishJournal(file, acked, out);
    }

    private static int lastByte(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0);
        }
    }

    /** Whether a sink acknowledged this event id in an earlier publish. */
    public boolean acknowledged(String eventId) {
        return acknowledged.contains(eventId);
    }

    public synchronized void append(PublishRecord record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the publish log " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
