package dev.moodtag.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.UnwritableFile;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The publish log: one JSON line per object and publish ({@link PublishRecord}), appended and flushed as each object
 * ends, so that an interrupted publish (Ctrl-C, a killed Job) loses at most the events in flight. The next publish
 * reads which event ids a sink acknowledged and does not send them again; those in flight are sent again with the
 * same id, and the function's skip-if-done makes that harmless.
 * <p>
 * Flushed lines are the operating system's to keep until it writes them out: a power loss (or a node that dies)
 * could lose lines of objects the summary had reported published, or keep a torn last line. The log is forced to
 * the disk when it closes, before the summary is printed, and during a publish at most once every
 * {@link #FORCE_EVERY_NANOS}, after the line that makes it due: a force per line cost 2.3 to 3.1 ms here against
 * 2 to 6 us for the flush alone, and the lines are appended one at a time from every sending thread, so it would
 * have bounded a resumed publish, a line per object even when skipped, to a few hundred objects a second. A lost line
 * costs little anyway: its event is sent again with the same id.
 */
public final class PublishJournal implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any record (an object URI is at most a few kB): a longer line is no record. */
    static final int MAX_LINE_CHARS = 1 << 16;

    /** The longest a flushed line waits to be forced to the disk while a publish goes on: 1 s. */
    static final long FORCE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final Set<String> acknowledged;
    private final FileChannel channel;
    private final LongSupplier nanoTime;
    private long forcedAt;
    private int linesNotForced;

    private PublishJournal(Path file, Set<String> acknowledged, FileChannel channel, LongSupplier nanoTime) {
        this.file = file;
        this.acknowledged = acknowledged;
        this.channel = channel;
        this.nanoTime = nanoTime;
        this.forcedAt = nanoTime.getAsLong();
    }

    /** Reads what earlier publishes acknowledged and opens the file for appending (created with its folder). */
    public static PublishJournal open(Path file) throws IOException {
        return open(file, System::nanoTime);
    }

    /** @param nanoTime the clock that tells when a force is due ({@link System#nanoTime} but in tests) */
    static PublishJournal open(Path file, LongSupplier nanoTime) throws IOException {
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
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        PublishJournal journal = new PublishJournal(file, acked, channel, nanoTime);
        try {
            // The new file's name is its folder's to keep: forced with it, or a power loss could lose the whole log
            if (created && parent != null) forceFolder(parent);
            // A line cut short by a kill would glue itself to the next one: start on a line of our own.
            if (Files.size(file) > 0 && lastByte(file) != '\n') journal.writeWhole(new byte[]{'\n'});
        } catch (IOException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // A platform that cannot open a folder this way (Windows) keeps its names by its own rules
        }
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

    /**
     * @throws UnwritableFile naming the log and the fault (a full disk): the line is not in the log, nor any part of it
     */
    public synchronized void append(PublishRecord record) {
        try {
            writeWhole((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
            linesNotForced++;
            if (nanoTime.getAsLong() - forcedAt >= FORCE_EVERY_NANOS) force();
        } catch (IOException e) {
            throw new UnwritableFile("cannot append to the publish log: " + LocalFailures.inWords(e, file), e);
        }
    }

    /**
     * A whole line, or nothing of it: through a buffered writer, the part of a line a full disk refused stayed in the
     * buffer and went out again before the next line, gluing the two, and the next publish read neither as
     * acknowledged (sent again).
     */
    private void writeWhole(byte[] bytes) throws IOException {
        long before = channel.size();
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) channel.write(b);
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed); // the next open starts on a line of its own
            }
            throw e;
        }
    }

    /** The lines flushed and not yet forced to the disk. */
    synchronized int linesNotForced() {
        return linesNotForced;
    }

    private void force() throws IOException {
        // Its data and the size it grew to (fdatasync on Linux): the modification time is not worth a second write
        channel.force(false);
        forcedAt = nanoTime.getAsLong();
        linesNotForced = 0;
    }

    public Path file() {
        return file;
    }

    /** Flushes and forces what is left, then closes: the summary that follows reports only lines on the disk. */
    @Override
    public synchronized void close() throws IOException {
        try (channel) {
            if (!channel.isOpen()) return;
            force();
        }
    }
}
