package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local filesystem as an object store: configured root folders are the containers, paths below them the
 * keys. Keys with {@code ..} segments are refused, and so is any path whose real location (symbolic links
 * resolved) lies outside its root.
 */
@ApplicationScoped
public class LocalObjectStorage implements ObjectStorage {

    /** How {@link #writeAtomically} names the hidden file it writes before renaming it into place. */
    private static final String PARTIAL = ".part";

    private final List<Path> roots;
    private final boolean followLinksWithinRoot;

    @Inject
    public LocalObjectStorage(StorageConfig config) {
        this(config.local().roots().orElse(List.of()).stream().map(Path::of).toList(),
                config.local().followLinksWithinRoot());
    }

    public LocalObjectStorage(List<Path> roots, boolean followLinksWithinRoot) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.followLinksWithinRoot = followLinksWithinRoot;
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
        resolve(ref);
        return ref;
    }

    /** The file of a reference, after every confinement check that can be made before it exists. */
    Path resolve(ObjectRef ref) {
        if (ref.scheme() != ObjectRef.Scheme.FILE) throw new IllegalArgumentException("not a file reference: " + ref);
        Path root = roots.stream().filter(r -> r.toString().equals(ref.container())).findFirst()
                .orElseThrow(() -> new StorageException(Kind.NOT_ALLOWED, "folder " + ref.container()
                        + " is not a configured root (moodtag.storage.local.roots)"));
        checkSegments(ref.key(), ref.uri());
        if (ref.key().startsWith("/") || ref.key().isEmpty())
            throw new StorageException(Kind.NOT_ALLOWED, "key '" + ref.key() + "' must be a relative path below its root");
        Path p = root.resolve(ref.key()).normalize();
        if (!p.startsWith(root) || p.equals(root))
            throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " escapes its root folder");
        // Links: the deepest existing ancestor's real path must stay inside the root's real path.
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing != null && existing.startsWith(root)) {
            try {
                Path realRoot = root.toRealPath();
                Path real = existing.toRealPath();
                if (!real.startsWith(realRoot))
                    throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " leads outside its root folder through a symbolic link");
                if (!followLinksWithinRoot && !real.equals(realRoot.resolve(root.relativize(existing))))
                    throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " goes through a symbolic link");
            } catch (NoSuchFileException e) {
                throw new StorageException(Kind.NOT_FOUND, "root folder " + root + " does not exist");
            } catch (IOException e) {
                throw new StorageException(Kind.UNAVAILABLE, "cannot resolve " + ref.uri() + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    private static void checkSegments(String key, String shown) {
        for (String segment : key.split("/")) {
            if (segment.equals("..")) throw new StorageException(Kind.NOT_ALLOWED, shown + " contains '..'");
        }
        if (key.indexOf('\0') >= 0) throw new StorageException(Kind.NOT_ALLOWED, "a key must not contain NUL");
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectRef ref) {
        Path p = resolve(ref);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) return Optional.empty();
            String type = Files.probeContentType(p);
            return Optional.of(new ObjectInfo(ref, a.size(), Optional.empty(),
                    Optional.of(a.lastModifiedTime().toInstant()), Optional.ofNullable(type)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(Kind.UNAVAILABLE, "cannot read " + ref.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CopiedObject copyTo(ObjectRef ref, Path target, long maxBytes) {
        Path p = resolve(ref);
        try (InputStream in = Files.newInputStream(p)) {
            return BoundedCopy.copy(in, target, maxBytes, ref.uri());
        } catch (NoSuchFileException e) {
            throw new StorageException(Kind.NOT_FOUND, ref.uri() + " does not exist");
        } catch (IOException e) {
            throw new StorageException(Kind.UNAVAILABLE, "cannot read " + ref.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
        Path p = resolve(ref);
        Path tmp = null;
        try {
            Files.createDirectories(p.getParent());
            // Same folder, so the rename below stays on one filesystem and is atomic.
            tmp = Files.createTempFile(p.getParent(), "." + p.getFileName(), PARTIAL);
            Files.write(tmp, content);
            // createTempFile makes the file owner-only (0600); a result beside shared media must be readable like it.
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class))
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new StorageException(Kind.UNAVAILABLE, "cannot write " + ref.uri() + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the .part file is hidden and named after its target
                }
            }
        }
    }

    /**
     * Whether a file found in a folder may be media to tag: not hidden, not a result (ending with {@code resultSuffix})
     * and not a partial write of one. Folder walkers (batch, watch) share this so that moodtag never tags its own output.
     */
    public static boolean isInput(String fileName, String resultSuffix) {
        return !fileName.startsWith(".") && !fileName.endsWith(resultSuffix) && !fileName.endsWith(PARTIAL);
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
            try (var walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String n = p.getFileName().toString();
                    if (!(n.startsWith(".") && n.contains(suffix) && n.endsWith(PARTIAL))) continue;
                    try {
                        if (Files.getLastModifiedTime(p).toMillis() <= before && Files.deleteIfExists(p)) removed++;
                    } catch (NoSuchFileException renamedMeanwhile) {
                        // a live write finished between the listing and here
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                throw new StorageException(Kind.UNAVAILABLE, "cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    @Override
    public void checkReachable() {
        for (Path root : roots) {
            if (!Files.isDirectory(root) || !Files.isWritable(root))
                throw new StorageException(Kind.UNAVAILABLE, "root folder " + root + " is missing or not writable");
        }
    }
}
