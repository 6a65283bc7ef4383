package dev.moodtag.batch;

import dev.moodtag.support.S3Uri;
import dev.moodtag.support.Utf8Text;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.storage.AbandonedWrites;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.S3ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns what {@code moodtag tag} was given into the objects to tag: a folder (walked), {@code s3://bucket/prefix}
 * (listed; the bucket must be in {@code moodtag.storage.s3.buckets}) or a manifest ({@code .csv}: one path or URI
 * per line in the first column, a header row {@code path} or {@code uri} allowed, relative paths relative to the
 * manifest). A folder's results go beside its files, exactly as the function writes them; local files are reached
 * through a {@link LocalObjectStorage} rooted at the folder given, so nothing outside it is read or written.
 */
@ApplicationScoped
public class BatchSources {

    private static final Logger LOG = Logger.getLogger(BatchSources.class);

    /**
     * One path or URI per row in the first column, other columns free; {@code #} starts a comment line; RFC 4180
     * quoting, so a name may hold commas, quotes ({@code ""}) and line breaks.
     */
    private static final CSVFormat MANIFEST = CSVFormat.DEFAULT.builder().setCommentMarker('#')
            .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get();

    private final S3ObjectStorage s3;

    public BatchSources(S3ObjectStorage s3) {
        this.s3 = s3;
    }

    /** @throws IllegalArgumentException naming the input and what to do when it cannot be used */
    public List<BatchItem> resolve(String input, String resultSuffix) {
        if (S3Uri.is(input)) {
            S3Uri listing = S3Uri.prefix(input);
            // Every tenth page: 10,000 keys on S3, a few seconds of listing that said nothing before the batch began
            return s3.list(listing.bucket(), listing.key(), (pages, keys) -> {
                        if (pages % 10 == 0) LOG.infof("listing %s: %,d keys in %,d pages so far", input, keys, pages);
                    }).stream().filter(r -> LocalObjectStorage.isInput(r.name(), resultSuffix))
                    .map(r -> new BatchItem(r, s3)).toList();
        }
        Path p = Path.of(input).toAbsolutePath().normalize();
        // A folder given as a link is listed where it leads: walking the link itself found no file at all.
        if (Files.isDirectory(p)) return folder(LocalObjectStorage.realFolder(p), resultSuffix);
        if (Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
            return manifest(p);
        if (Files.isRegularFile(p)) return List.of(local(p, new HashMap<>()));
        throw new IllegalArgumentException(input + " is neither a folder, a .csv manifest, a file nor s3://bucket/prefix");
    }

    private static List<BatchItem> folder(Path dir, String resultSuffix) {
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        // With the margin serve and watch use: a watcher or server writing into the same folder right now keeps its
        // .part file (removed under it, its rename failed and the object was reported as not existing).
        int removed = store.removeAbandonedWrites(resultSuffix, AbandonedWrites.LIVE_WRITE_MARGIN);
        if (removed > 0) LOG.infof("removed %d partial result file(s) a killed earlier run left in %s", removed, dir);
        try {
            List<Path> files = LocalObjectStorage.regularFiles(dir, (passed, why) -> LOG.warnf(
                    "%s: %s; passed over, not tagged", passed, why)).stream().sorted().toList();
            // A TypeScript app.ts is no recording, so an app.json beside it is no transcript of one.
            Set<String> mediaBases = files.stream().filter(MediaFiles::isWalkedMedia).map(BatchSources::base)
                    .collect(Collectors.toSet());
            // A link to a file is read where it leads (LinkedFiles), the file tagged under the link's name, once: a
            // link to a file the folder holds anyway, or a second link to one file, is that file again. Every one was
            // refused as "goes through a symbolic link" when it was read.
            Set<Path> seen = new java.util.HashSet<>(files.stream().filter(f -> !Files.isSymbolicLink(f)
                    && LocalObjectStorage.isInput(f.getFileName().toString(), resultSuffix)).toList());
            Map<ObjectRef, Path> links = new HashMap<>();
            List<Path> kept = new ArrayList<>();
            for (Path f : files) {
                boolean input = LocalObjectStorage.isInput(f.getFileName().toString(), resultSuffix);
                if (input && Files.isSymbolicLink(f)) {
                    Path real;
                    try {
                        real = f.toRealPath();
                    } catch (IOException e) {
                        LOG.warnf("%s: a link that cannot be followed now (%s); passed over, not tagged", f, e);
                        continue;
                    }
                    if (!seen.add(real)) {
                        LOG.infof("%s: a link to %s, which this batch tags already; not tagged twice", f, real);
                        continue;
                    }
                    links.put(store.refFor(f), real);
                }
                kept.add(f);
            }
            ObjectStorage reached = links.isEmpty() ? store : new LinkedFiles(store, links);
            // Every file but moodtag's own, hidden ones and the transcript sidecars of a media file is offered to the
            // tagger, which tags media and says why it ignores the rest.
            return kept.stream().filter(f -> LocalObjectStorage.isInput(f.getFileName().toString(), resultSuffix)
                            && !mediaBases.contains(sidecarOf(f)))
                    .map(f -> new BatchItem(store.refFor(f), reached)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
    }

    /** The media base path a sidecar transcript belongs to, or "" when the file is not a sidecar. */
    private static String sidecarOf(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || !TranscriptLoader.SIDECAR_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT)))
            return "";
        return base(f);
    }

    private static String base(Path f) {
        String s = f.toString();
        int dot = s.lastIndexOf('.');
        return dot > s.lastIndexOf('/') ? s.substring(0, dot) : s;
    }

    private List<BatchItem> manifest(Path csv) {
        Map<Path, LocalObjectStorage> stores = new HashMap<>();
        List<BatchItem> items = new ArrayList<>();
        try (Reader in = new BufferedReader(new Utf8Text(csv)); CSVParser rows = MANIFEST.parse(in)) {
            for (CSVRecord row : rows) {
                // A spreadsheet saved as "CSV UTF-8" starts with a byte-order mark.
                String first = row.get(0).replace("\uFEFF", "");
                long line = rows.getCurrentLineNumber();
                if (first.isEmpty()) continue;
                if (row.getRecordNumber() == 1 && (first.equalsIgnoreCase("path") || first.equalsIgnoreCase("uri"))) continue;
                if (S3Uri.is(first)) {
                    S3Uri object;
                    try {
                        object = S3Uri.object(first);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(csv + " line " + line + ": " + e.getMessage(), e);
                    }
                    items.add(new BatchItem(ObjectRef.s3(object.bucket(), object.key()), s3, true));
                } else {
                    Path p;
                    try {
                        p = first.startsWith("file://") ? fileUriPath(first) : csv.getParent().resolve(first);
                    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                        throw new IllegalArgumentException(csv + " line " + line + ": " + first + " is not a path: " + e.getMessage()
                                + LocalObjectStorage.localeHint(), e);
                    }
                    p = p.toAbsolutePath().normalize();
                    if (p.getParent() == null)
                        throw new IllegalArgumentException(csv + " line " + line + ": " + first + " names no file");
                    items.add(local(p, stores));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Utf8Text.refuseIfNotUtf8(e, "manifest");
            // commons-csv reports a malformed row (an unclosed quote) as an UncheckedIOException.
            throw new IllegalArgumentException("cannot read manifest " + csv + ": " + e.getMessage(), e);
        }
        return items;
    }

    /**
     * The path a {@code file://} row names, its escapes read as UTF-8 strictly, as an event's are: Path.of(URI) read
     * bytes that are no UTF-8 as U+FFFD, so "caf%E9.wav" named the file "caf\uFFFD.wav", another than the row's writer's,
     * and refused a name written as it is ("会議.wav").
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    private static Path fileUriPath(String row) {
        java.net.URI uri = java.net.URI.create(row);
        if (uri.getRawAuthority() != null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/"))
            throw new IllegalArgumentException("expected file:///absolute/path");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null)
            throw new IllegalArgumentException("a file URI has no query or fragment: write '?' as %3F and '#' as %23");
        return Path.of(S3Uri.decodeKey(uri.getRawPath(), false));
    }

    /**
     * A single local file, reached through a store rooted at its folder's real location, as a folder input is listed:
     * named through a linked folder ({@code /tmp/a/clip.wav} with {@code /tmp/a} a link), it had another URI than the
     * same file listed in the folder, and was tagged twice at once. The file's own name is kept: a link there is
     * still refused when it is read, not tagged as the file it leads to.
     */
    private static BatchItem local(Path given, Map<Path, LocalObjectStorage> stores) {
        Path file;
        try {
            file = given.getParent().toRealPath().resolve(given.getFileName());
        } catch (IOException e) {
            file = given; // its folder is not there (a manifest row): the file is then not found when it is tagged
        }
        LocalObjectStorage store = stores.computeIfAbsent(file.getParent(), LocalObjectStorage::ofNamedFolder);
        return new BatchItem(store.refFor(file), store, true);
    }
}
