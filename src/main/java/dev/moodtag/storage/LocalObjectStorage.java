package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;
import dev.moodtag.support.NotARegularFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The local filesystem as an object store: configured root folders are the containers, paths below them the
 * keys. Keys with {@code ..} segments are refused, and so is any path whose real location (symbolic links
 * resolved) lies outside its root. Files are reached through {@link ConfinedRoot}, folder by folder from the open
 * root, so a link flipped while an object is read or written cannot take the operation outside the root.
 */
@ApplicationScoped
public class LocalObjectStorage implements ObjectStorage {

    /** How {@link #writeAtomically} names the hidden file it writes before renaming it into place. */
    private static final String PARTIAL = ".part";
    /**
     * Whether this process encodes file names as UTF-8. The JVM (and a native image) takes the encoding from the
     * locale at start: under C or POSIX it is ASCII, and no file whose name has another character can be opened.
     */
    public static final boolean FILE_NAMES_IN_UTF8 = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));

    /** What to change when a name is no file name here because of the locale; empty when file names are UTF-8. */
    public static String localeHint() {
        return FILE_NAMES_IN_UTF8 ? "" : "; run moodtag under a UTF-8 locale (LANG=C.UTF-8)";
    }

    /** Why a name {@code e} refused is no file name here, and what to change where the locale is why. */
    public static String noFileName(InvalidPathException e) {
        return "cannot be a file name in this process's file-name encoding (" + System.getProperty("sun.jnu.encoding")
                + "): " + e.getReason() + localeHint();
    }

    private static final SecureRandom PART_NAMES = new SecureRandom();

    private final List<Path> roots;
    private final boolean followLinksWithinRoot;
    private final boolean configuredRoots;
    private final WritableFolders writable = new WritableFolders();

    @Inject
    public LocalObjectStorage(StorageConfig config) {
        this(config.local().roots().orElse(List.of()).stream().map(Path::of).toList(),
                config.local().followLinksWithinRoot());
    }

    /** A store of configured roots (the function's, an inbox and outbox): a missing root is UNAVAILABLE, retryable. */
    public LocalObjectStorage(List<Path> roots, boolean followLinksWithinRoot) {
        this(roots, followLinksWithinRoot, true);
    }

    private LocalObjectStorage(List<Path> roots, boolean followLinksWithinRoot, boolean configuredRoots) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.followLinksWithinRoot = followLinksWithinRoot;
        this.configuredRoots = configuredRoots;
    }

    /**
     * A store rooted at the folder of files the user named ({@code moodtag tag} on a folder or a manifest, a report's
     * target), links not followed: a missing folder means the named file does not exist, NOT_FOUND, for good.
     */
    public static LocalObjectStorage ofNamedFolder(Path folder) {
        return new LocalObjectStorage(List.of(folder), false, false);
    }

    @Override
    public ObjectRef.Scheme scheme() {
        return ObjectRef.Scheme.FILE;
    }

    @Override
    public boolean configured() {
        return !roots.isEmpty();
    }

    /** The reference of an absolute path ({@code file:///...}), relative to the configured root that holds it. */
    public ObjectRef refFor(Path absolute) {
        checkSegments(absolute.toString().replace('\\', '/'), absolute.toString());
        Path p = absolute.toAbsolutePath().normalize();
        for (Path root : roots) {
            if (p.startsWith(root) && !p.equals(root)) {
                String key = root.relativize(p).toString().replace('\\', '/');
                return new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), key);
            }
        }
        throw new StorageException(Kind.NOT_ALLOWED, absolute + " is not inside a configured root folder "
                + "(moodtag.storage.local.roots)");
    }

    @Override
    public ObjectRef confine(ObjectRef ref) {
        Located at = locate(ref);
        at.root().check(at.relative(), ref);
        return ref;
    }

    /** A reference's root, its path below it and that path as configured, after the checks that need no file system. */
    private record Located(ConfinedRoot root, Path relative, Path path) {
    }

    private Located locate(ObjectRef ref) {
        if (ref.scheme() != ObjectRef.Scheme.FILE) throw new IllegalArgumentException("not a file reference: " + ref);
        Path root = roots.stream().filter(r -> r.toString().equals(ref.container())).findFirst()
                .orElseThrow(() -> new StorageException(Kind.NOT_ALLOWED, "folder " + ref.container()
                        + " is not a configured root (moodtag.storage.local.roots)"));
        checkSegments(ref.key(), ref.uri());
        if (ref.key().startsWith("/") || ref.key().isEmpty())
            throw new StorageException(Kind.NOT_ALLOWED, "key '" + ref.key() + "' must be a relative path below its root");
        Path p;
        try {
            p = root.resolve(ref.key()).normalize();
        } catch (InvalidPathException e) {
            // Under a C/POSIX locale Java encodes file names as ASCII, so "café.wav" has no file name at all
            throw new StorageException(Kind.FAILED, "the name of " + ref.uri() + " " + noFileName(e));
        }
        if (!p.startsWith(root) || p.equals(root))
            throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " escapes its root folder");
        Optional<String> overlong = LocalFailures.overlongName(p);
        if (overlong.isPresent())
            throw new StorageException(Kind.FAILED, "no file system can hold " + ref.uri() + ": " + overlong.get());
        return new Located(new ConfinedRoot(root, followLinksWithinRoot, configuredRoots), root.relativize(p), p);
    }

    /**
     * As the file system tells names apart: with case where it does (Linux disks), and where it folds case (macOS,
     * Windows, an SMB share, an ext4 or tmpfs casefold folder) the same letters in another case are the same names, so
     * that {@code clips/} takes {@code Clips/a.wav} there, the folder a user reaches by either spelling, where it was
     * passed over as outside the prefix. The file system is asked, not assumed: the key spelt as the prefix spells it
     * must lead, name by name, to the very entries the key names: a link {@code clips} to {@code Clips} is another
     * entry, not the same name. Nothing is opened for it, only looked at.
     */
    @Override
    public boolean keyStartsWith(ObjectRef ref, String prefix) {
        String key = ref.key();
        if (key.startsWith(prefix)) return true;
        if (!key.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        try {
            Located named = locate(ref);
            Located spelt = locate(ref.withKey(prefix + key.substring(prefix.length())));
            Path base = named.path();
            for (int i = named.relative().getNameCount(); i > 0; i--) base = base.getParent();
            if (named.relative().getNameCount() != spelt.relative().getNameCount()) return false;
            for (int i = 1; i <= named.relative().getNameCount(); i++)
                if (!sameEntry(base.resolve(named.relative().subpath(0, i)), base.resolve(spelt.relative().subpath(0, i))))
                    return false;
            return true;
        } catch (StorageException | InvalidPathException e) {
            return false;
        }
    }

    /**
     * Whether two paths that differ in case alone lead to one entry: the file system resolved both to the same file
     * (its device and inode where it gives them), the last name not followed if it is a link.
     */
    protected boolean sameEntry(Path a, Path b) {
        try {
            Object keyA = Files.readAttributes(a, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            Object keyB = Files.readAttributes(b, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return keyA != null ? keyA.equals(keyB) : Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false; // no such entry by the prefix's spelling: the file system tells case apart here
        }
    }

    private static void checkSegments(String key, String shown) {
        for (String segment : key.split("/")) {
            if (segment.equals("..")) throw new StorageException(Kind.NOT_ALLOWED, shown + " contains '..'");
        }
        if (key.indexOf('\0') >= 0) throw new StorageException(Kind.NOT_ALLOWED, "a key must not contain NUL");
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectRef ref) {
        Located at = locate(ref);
        try {
            return at.root().inFolder(at.relative(), ref, false, (folder, name) -> {
                BasicFileAttributes a = ConfinedRoot.attributes(folder, name);
                if (a.isSymbolicLink()) throw new ConfinedRoot.LinkFound(name);
                if (!a.isRegularFile()) return Optional.empty();
                // By name only: the type comes from the extension, and nothing is opened outside the walk above.
                String type = Files.probeContentType(name);
                return Optional.of(new ObjectInfo(ref, a.size(), Optional.empty(),
                        Optional.of(a.lastModifiedTime().toInstant()), Optional.ofNullable(type), Optional.empty(),
                        FileVersion.of(at.path(), a.fileKey(), LinkOption.NOFOLLOW_LINKS)));
            });
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw LocalFailures.of(e, "read", ref, at.path());
        }
    }

    /**
     * As {@link ObjectStorage#firstExisting}, passing over a candidate whose name no file system can hold: no such file
     * can exist, where {@link #stat} refuses the name itself (FAILED) and the lookup stopped there ({@code x.json}
     * beside a 254-byte {@code x.ts}). Tagging does not get here with such a name today (the result's name, at least 2
     * bytes longer than the media's, is refused first), but no lookup of names that may not exist should fail on one.
     */
    @Override
    public Optional<ObjectInfo> firstExisting(List<ObjectRef> candidates) {
        return ObjectStorage.super.firstExisting(candidates.stream().filter(c -> c.name()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= LocalFailures.MAX_NAME_BYTES).toList());
    }

    @Override
    public <T> T read(ObjectRef ref, ContentReader<T> reader) {
        Located at = locate(ref);
        try {
            return at.root().inFolder(at.relative(), ref, false, (folder, name) -> {
                BasicFileAttributes a = ConfinedRoot.attributes(folder, name);
                if (a.isSymbolicLink()) throw new ConfinedRoot.LinkFound(name);
                if (!a.isRegularFile())
                    throw new StorageException(Kind.NOT_FOUND, ref.uri() + " is " + NotARegularFile.words(a));
                return readRegular(folder, name, a, at, ref, reader);
            });
        } catch (NoSuchFileException e) {
            throw new StorageException(Kind.NOT_FOUND, ref.uri() + " does not exist");
        } catch (IOException e) {
            throw LocalFailures.of(e, "read", ref, at.path());
        }
    }

    /**
     * Hands the content of {@code name}, a regular file in {@code folder} as its attributes {@code a} were read, to
     * {@code reader}; a file that became a link since those attributes were read is reported as {@link
     * ConfinedRoot.LinkFound}, one that went as {@link NoSuchFileException}.
     */
    private static <T> T readRegular(SecureDirectoryStream<Path> folder, Path name, BasicFileAttributes a, Located at,
                                     ObjectRef ref, ContentReader<T> reader) throws IOException {
        try (SeekableByteChannel in = RegularFileOpen.forReading(folder, name, at.path(), a, ref)) {
            return reader.read(Channels.newInputStream(in), in.size());
        } catch (NoSuchFileException | ConfinedRoot.LinkFound e) {
            throw e;
        } catch (FileSystemException e) {
            throw ConfinedRoot.linkOr(folder, name, e);
        }
    }

    /**
     * Deletes the regular file at {@code ref} when {@code decides}, reading it, says so; read and deleted through the
     * same confined folder, so a folder swapped for a link between the two cannot redirect the delete. A path through
     * a link is refused even where links within the root are followed: the delete would remove the link's target.
     * False when there is no such file or it was kept.
     */
    public boolean deleteIf(ObjectRef ref, ContentReader<Boolean> decides) {
        Located at = locate(ref);
        try {
            return at.root().withoutLinks().inFolder(at.relative(), ref, false, (folder, name) -> {
                BasicFileAttributes a = ConfinedRoot.attributes(folder, name);
                if (!a.isRegularFile() || a.isSymbolicLink()) return false;
                boolean delete = readRegular(folder, name, a, at, ref, decides);
                if (delete) folder.deleteFile(name);
                return delete;
            });
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw LocalFailures.of(e, "delete", ref, at.path());
        }
    }

    @Override
    public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
        writeAtomically(ref, out -> {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) out.write(buf);
        });
    }

    /** Streamed from the file into the hidden {@code .part} file that is renamed into place. */
    @Override
    public void writeAtomically(ObjectRef ref, Path content, String contentType) {
        writeAtomically(ref, out -> {
            try (FileChannel in = FileChannel.open(content, StandardOpenOption.READ)) {
                for (long at = 0, size = in.size(); at < size; ) at += in.transferTo(at, size - at, out);
            }
        });
    }

    /** What fills the hidden file before its rename. */
    @FunctionalInterface
    private interface Content {
        void writeTo(SeekableByteChannel out) throws IOException;
    }

    private void writeAtomically(ObjectRef ref, Content content) {
        Located at = locate(ref);
        boolean written = false;
        try {
            at.root().inFolder(at.relative(), ref, true, (folder, name) -> {
                write(folder, name, content);
                return null;
            });
            written = true;
        } catch (IOException e) {
            throw LocalFailures.of(e, "write", ref, at.path());
        } finally {
            if (!written) writable.forget(at.path().getParent()); // whatever the failure, checkWritable probes again
        }
    }

    /**
     * Probes the folder the object goes to, or the deepest one above it that exists (the write creates the rest, e.g. a
     * result prefix's folders), by creating and removing a hidden file there. The folders are walked and the probe
     * made as the write walks and writes ({@link ConfinedRoot}: each folder opened relative to the one above, no link
     * followed out of the root), so a link in the path is refused as the write would refuse it; a probe by name had
     * followed a folder linked out of the root and written there. The object's name is not looked at: the answer is
     * the folder's, the same for every object written there, so a yes is kept for a moment ({@link WritableFolders}):
     * the function probed once per event, a file made and removed in a busy inbox for every object.
     */
    @Override
    public void checkWritable(ObjectRef ref) {
        Located at = locate(ref);
        Path resultFolder = at.path().getParent();
        if (writable.known(resultFolder)) return;
        if (probe(at, ref)) writable.found(resultFolder);
    }

    /**
     * A folder at the object's name: the write's rename fails on it (after the whole tagging, for a result), and a
     * read takes it for no object at all, so that status counted it as none yet for ever. Looked at as the write walks
     * (links within the root followed where the write follows them); a link at the name itself is the write's to
     * replace, whatever it leads to.
     */
    @Override
    public void checkReplaceable(ObjectRef ref) {
        Located at = locate(ref);
        boolean folder;
        try {
            folder = at.root().inFolder(at.relative(), ref, false,
                    (dir, name) -> ConfinedRoot.attributes(dir, name).isDirectory());
        } catch (NoSuchFileException | NotDirectoryException e) {
            return; // nothing there, or folders the write makes (or refuses, saying why)
        } catch (IOException e) {
            return; // nothing this check can tell: the write says why
        }
        if (folder) throw new StorageException(Kind.FAILED, "cannot write " + ref.uri() + ": a folder of that name is in the way");
    }

    /** Whether a probe file was made (and removed); false where there was no folder to make it in. */
    private static boolean probe(Located at, ObjectRef ref) {
        Path probe = Path.of(".moodtag-probe" + Long.toUnsignedString(PART_NAMES.nextLong()) + ".tmp");
        for (Path dir = at.relative().getParent(); ; dir = dir.getParent()) {
            Path folder = dir == null ? at.root().root() : at.root().root().resolve(dir);
            try {
                at.root().inFolder(dir == null ? probe : dir.resolve(probe), ref, false, (open, name) -> {
                    try (SeekableByteChannel ignored = open.newByteChannel(name, Set.of(StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS))) {
                        // created: the folder takes new files
                    }
                    open.deleteFile(name);
                    return null;
                });
                return true;
            } catch (NoSuchFileException missing) {
                if (dir == null) return false; // the root itself: the write says why
                // a folder the write will create: the one above decides
            } catch (NotDirectoryException e) {
                // A file where the folder should be made the write fail as "<result> does not exist", after the tagging
                throw new StorageException(Kind.FAILED, "cannot write results in " + at.path().getParent() + ": "
                        + LocalFailures.firstNotAFolder(folder).orElse(folder) + " is not a folder", e);
            } catch (IOException e) {
                // A name that is not there, so that the reason is the folder's (permission, read-only, full)
                throw LocalFailures.of(e, "write", "results in " + folder, folder.resolve(probe));
            }
        }
    }

    /**
     * The target's name in its {@code .part} name, its start left out where the whole would pass the file system's
     * 255 bytes (a 230-byte result name made a 256-byte {@code .part} name, and the write failed): the end, with the
     * result suffix the abandoned-write sweep looks for, stays.
     */
    static String partBase(String name) {
        int budget = LocalFailures.MAX_NAME_BYTES - 1 - 20 - PARTIAL.length();
        String base = name;
        while (base.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > budget)
            base = base.substring(base.offsetByCodePoints(0, 1));
        return base;
    }

    /**
     * Writes a hidden {@code .part} file beside the target and renames it over the target, both relative to the open
     * folder: readers see the old content or the new, and a link planted under either name is replaced, not followed.
     */
    private static void write(SecureDirectoryStream<Path> folder, Path name, Content content) throws IOException {
        Path part = Path.of("." + partBase(name.toString()) + Long.toUnsignedString(PART_NAMES.nextLong()) + PARTIAL);
        boolean renamed = false;
        try {
            try (SeekableByteChannel out = folder.newByteChannel(part, Set.of(StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS))) {
                content.writeTo(out);
                // On the disk before the rename: after a power cut (an edge box's SD card), the rename can otherwise
                // outlive the content, leaving an empty result where the old one was (moodtag tags such an object
                // again, but whoever reads results downstream finds an empty file).
                if (out instanceof FileChannel file) file.force(true);
            }
            // A result beside shared media must be readable like it, whatever the process's umask.
            PosixFileAttributeView perms = folder.getFileAttributeView(part, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (perms != null) perms.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            folder.move(part, folder, name);
            renamed = true;
            syncFolder(folder);
        } finally {
            if (!renamed) {
                try {
                    folder.deleteFile(part);
                } catch (IOException ignored) {
                    // never created, or best effort: the .part file is hidden and named after its target
                }
            }
        }
    }

    /**
     * Makes a rename in {@code folder} durable (fsync of the folder). Best effort: a file system that cannot sync a
     * folder (some FUSE and network mounts) still has the result, just without that guarantee.
     */
    private static void syncFolder(SecureDirectoryStream<Path> folder) {
        try (SeekableByteChannel dir = folder.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (dir instanceof FileChannel channel) channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename itself succeeded
        }
    }

    /**
     * A folder given by the user (a batch input, an inbox, an outbox) as the folder it leads to: given as a link (an SD
     * card's mount point), the link itself was walked and listed nothing.
     */
    public static Path realFolder(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the folder " + folder, e);
        }
    }

    /**
     * Whether a file found in a folder may be media to tag: not hidden, not a result (ending with {@code resultSuffix} in
     * any case, {@link ResultNames}) and not a partial write of one. Folder walkers (batch, watch) share this so that
     * moodtag never tags its own output.
     */
    public static boolean isInput(String fileName, String resultSuffix) {
        return !fileName.startsWith(".") && !ResultNames.ends(fileName, resultSuffix) && !fileName.endsWith(PARTIAL);
    }

    /**
     * Removes the hidden {@code .part} files that {@link #writeAtomically} leaves only when the process is killed
     * between writing and renaming (results ending with {@code suffix}). Run it when no other writer is active in
     * these roots; returns how many were removed.
     */
    public int removeAbandonedWrites(String suffix) {
        return removeAbandonedWrites(suffix, Duration.ZERO);
    }

    /**
     * As {@link #removeAbandonedWrites(String)}, keeping {@code .part} files modified less than {@code olderThan} ago,
     * so that it is safe while other processes write into the same roots ({@link AbandonedWrites}).
     */
    public int removeAbandonedWrites(String suffix, Duration olderThan) {
        long before = System.currentTimeMillis() - olderThan.toMillis();
        int removed = 0;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try {
                // A folder it cannot read has no .part file of moodtag's in it: the batch's own listing reports it.
                for (Path p : regularFiles(root, (passed, why) -> { })) {
                    String n = p.getFileName().toString();
                    if (!(n.startsWith(".") && n.contains(suffix) && n.endsWith(PARTIAL))) continue;
                    try {
                        if (Files.getLastModifiedTime(p).toMillis() <= before && Files.deleteIfExists(p)) removed++;
                    } catch (NoSuchFileException renamedMeanwhile) {
                        // a live write finished between the listing and here
                    }
                }
            } catch (IOException e) {
                throw new StorageException(Kind.UNAVAILABLE, "cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    /**
     * The regular files below {@code folder} (links to files included, as {@link Files#isRegularFile} sees them), in
     * no set order. What is passed over is handed to {@code passedOver} with why: a folder or file below it that
     * moodtag's user may not read (lost+found at a mounted disk's root, another user's .Trash-0), where
     * {@link Files#walk} ended the whole listing and a batch tagged nothing; a link to a folder, which is not
     * followed (it may lead anywhere, or in a loop) and was passed over without a word; a link to anything else
     * that is no regular file (nothing, a loop of links, a FIFO or device); and a FIFO, socket or device itself. Any other failure, or
     * {@code folder} itself unreadable, is thrown.
     */
    public static List<Path> regularFiles(Path folder, BiConsumer<Path, String> passedOver) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (Files.isRegularFile(file)) files.add(file);
                else if (attrs.isSymbolicLink()) passedOver.accept(file, whyLinkPassedOver(file));
                else if (attrs.isOther()) passedOver.accept(file, NotARegularFile.OTHER);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (!(e instanceof AccessDeniedException) || file.equals(folder)) throw e;
                passedOver.accept(file, "moodtag's user may not read it (permission denied)");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                return e == null ? FileVisitResult.CONTINUE : visitFileFailed(dir, e);
            }
        });
        return files;
    }

    /**
     * Why a link that does not lead to a regular file is not listed. A link to nothing or a loop of links was passed
     * over without a word, as if the file had never been there.
     */
    private static String whyLinkPassedOver(Path link) {
        if (Files.isDirectory(link)) return "a link to a folder, not followed (name the folder it leads to instead)";
        try {
            Path target = link.toRealPath();
            return "a link to " + target + ", which is not a regular file";
        } catch (NoSuchFileException e) {
            return "a link that leads nowhere (what it names does not exist)";
        } catch (FileSystemException e) {
            return "a link that cannot be followed, a loop of links? (" + e.getReason() + ")";
        } catch (IOException e) {
            return "a link that cannot be followed: " + e.getMessage();
        }
    }

    @Override
    public void checkReachable() {
        for (Path root : roots) {
            if (!Files.isDirectory(root) || !Files.isWritable(root))
                throw new StorageException(Kind.UNAVAILABLE, "root folder " + root + " is missing or not writable");
        }
    }
}
