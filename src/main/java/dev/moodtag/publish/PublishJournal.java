package dev.moodtag.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The publish log: one JSON line per object and publish ({@link PublishRecord}), appended and flushed as each object
 * ends, so that an interrupted publish (Ctrl-C, a killed Job) loses at most the events in flight. The next publish
 * reads which event ids a sink acknowledged and does not send them again; those in flight are sent again with the
 * same id, and the function's skip-if-done makes that harmless.
 */
public final class PublishJournal implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any record (an object URI is at most a few kB): a longer line is no record. */
    static final int MAX_LINE_CHARS = 1 << 16;

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
            // Line by line, keeping only the acknowledged ids: the log grows by a line per object and publish, and was
            // once read whole. A byte that is not UTF-8 (a line cut inside a character by a full disk) is replaced,
            // where it failed the whole read, and a line longer than any record is passed over.
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8), 1 << 16)) {
                StringBuilder line = new StringBuilder();
                boolean tooLong = false;
                for (int c; (c = in.read()) >= 0 || !line.isEmpty(); ) {
                    if (c >= 0 && c != '\n') {
                        if (line.length() < MAX_LINE_CHARS) line.append((char) c);
                        else tooLong = true;
                        continue;
                    }
                    if (!tooLong) acknowledgedIn(line.toString()).ifPresent(acked::add);
                    line.setLength(0);
                    tooLong = false;
                    if (c < 0) break;
                }
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

    /** The event id of a line that records an acknowledged event. */
    private static Optional<String> acknowledgedIn(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty(); // the last line of a publish killed while writing it: that object is sent again
        }
        if (n == null || !PublishState.PUBLISHED.label().equals(n.path("state").asText())) return Optional.empty();
        String id = n.path("eventId").asText("");
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
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
