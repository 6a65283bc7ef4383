package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Race-free access below one root folder. A path is never checked and then opened again by name, because a
 * symbolic link swapped in between would take the open elsewhere: the root is opened once, and every folder below
 * it is opened relative to the one above, without following links ({@link SecureDirectoryStream}: openat with
 * O_NOFOLLOW on Linux). The file itself is then opened, written or renamed relative to that folder, so whatever
 * happens to the tree meanwhile, nothing outside the root is reached: at worst the operation is refused.
 * <p>
 * Links that stay inside the root are followed, when allowed, by resolving the path to its real location first and
 * walking that location the same way; a link that changes while it is walked makes the walk start again, a few times
 * at most.
 */
final class ConfinedRoot {

    /** A link that keeps changing under the walk is refused rather than chased. */
    private static final int MAX_WALKS = 8;

    /** What to do with the last name once the folder that holds it is open. */
    @FunctionalInterface
    interface InFolder<T> {
        T apply(SecureDirectoryStream<Path> folder, Path name) throws IOException;
    }

    /** Thrown by {@link InFolder} when the last name turned out to be a symbolic link. */
    static final class LinkFound extends IOException {
        LinkFound(Path name) {
            super(name + " is a symbolic link");
        }
    }

    private final Path root;
    private final boolean followLinksWithinRoot;
    private final boolean configured;

    /**
     * @param root       absolute and normalised
     * @param configured whether the root is a configured one (moodtag.storage.local.roots, an inbox, an outbox), which
     *                   is missing only for a while, or the folder of a file the user named, missing when the file is
     */
    ConfinedRoot(Path root, boolean followLinksWithinRoot, boolean configured) {
        this.root = root;
        this.followLinksWithinRoot = followLinksWithinRoot;
        this.configured = configured;
    }

    /** The root folder, absolute and normalised, as configured. */
    Path root() {
        return root;
    }

    /** This root, refusing any link on a path: for a delete, which must remove the name it was given, not a target. */
    ConfinedRoot withoutLinks() {
        return new ConfinedRoot(root, false, configured);
    }

    /**
     * Opens the folder holding {@code relative}'s last name (creating missing folders when asked) and applies
     * {@code action} to it.
     *
     * @param relative a normalised, non-empty path below the root without {@code ..}
     * @throws StorageException NOT_ALLOWED when the path leads outside the root (or, without
     *                          {@code followLinksWithinRoot}, through any link); UNAVAILABLE when a configured root
     *                          is missing, NOT_FOUND when the folder of a named file is
     * @throws IOException      what the file system said, for the caller to translate
     */
    <T> T inFolder(Path relative, ObjectRef ref, boolean createFolders, InFolder<T> action) throws IOException {
        for (int walk = 0; walk < MAX_WALKS; walk++) {
            List<Path> names = realNames(relative, ref);
            try {
                return walk(names, createFolders, action);
            } catch (LinkFound e) {
                // A link to nothing (its target deleted) is no file, as for Files.exists, whether links are followed or
                // not: walked again and again, it was refused as a link that kept changing (or, not followed, as a link),
                // and a sidecar's broken link cost its media the whole tagging
                if (leadsNowhere(relative)) throw new NoSuchFileException(ref.uri() + " is a symbolic link that leads nowhere");
                if (!followLinksWithinRoot) throw throughLink(ref);
                // A link appeared or changed since the path was resolved: resolve again.
            }
        }
        throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " goes through a symbolic link that kept changing"
                + " while it was opened");
    }

    /** Checks, as far as it exists now, that {@code relative} stays inside the root (what {@code confine} promises). */
    void check(Path relative, ObjectRef ref) {
        realNames(relative, ref);
    }

    /**
     * The names to walk from the root's real location: the real location of the deepest part of the path that
     * exists now, then the parts still to be created. Refuses a path whose real location is outside the root.
     */
    private List<Path> realNames(Path relative, ObjectRef ref) {
        Path realRoot = realRoot();
        Path logical = root.resolve(relative);
        Path existing = logical;
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            real = null; // changed since: walk the names as given; the walk refuses links
        } catch (AccessDeniedException e) {
            throw new StorageException(Kind.FAILED, "cannot resolve " + ref.uri() + ": permission denied to moodtag's user", e);
        } catch (FileSystemException e) {
            // A loop of links (ELOOP) is as permanent as a link leading out; only a failing disk is worth a retry.
            if (throughLink(existing))
                throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " goes through a symbolic link that cannot be"
                        + " resolved (" + e.getReason() + ")", e);
            throw new StorageException(Kind.UNAVAILABLE, "cannot resolve " + ref.uri() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException(Kind.UNAVAILABLE, "cannot resolve " + ref.uri() + ": " + e.getMessage(), e);
        }
        if (real == null) return names(relative);
        if (!real.startsWith(realRoot))
            throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " leads outside its root folder through a symbolic link");
        Path realBelowRoot = realRoot.relativize(real);
        if (!followLinksWithinRoot && !realBelowRoot.equals(root.relativize(existing))) throw throughLink(ref);
        List<Path> names = new ArrayList<>(names(realBelowRoot));
        names.addAll(names(existing.relativize(logical)));
        if (names.isEmpty())
            throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " is its root folder itself, not a file below it");
        return names;
    }

    /**
     * Whether the deepest part of {@code relative} that exists now is itself a link whose target does not exist. Only
     * that link is asked: a path that stops resolving because a link above it was switched is a changing link.
     */
    private boolean leadsNowhere(Path relative) {
        Path existing = root.resolve(relative);
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        return !existing.equals(root) && Files.isSymbolicLink(existing) && Files.notExists(existing);
    }

    /** Whether any part of {@code path} below the root is a symbolic link. */
    private boolean throughLink(Path path) {
        for (Path p = path; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return true;
        }
        return false;
    }

    private Path realRoot() {
        try {
            return root.toRealPath();
        } catch (NoSuchFileException e) {
            throw missingRoot(e);
        } catch (IOException e) {
            throw new StorageException(Kind.UNAVAILABLE, "cannot open root folder " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * A configured root that is missing is a disk not mounted yet or an outbox removed for a while, as readiness says:
     * answered NOT_FOUND, an event was rejected for good and a watched file's result never written.
     */
    private StorageException missingRoot(NoSuchFileException e) {
        if (configured)
            return new StorageException(Kind.UNAVAILABLE, "root folder " + root + " does not exist (not mounted, or"
                    + " removed?)", e);
        return new StorageException(Kind.NOT_FOUND, "folder " + root + " does not exist", e);
    }

    /**
     * A root that is a file (or a FIFO, or a link to one) is a root missing as a folder, and is answered as one: read as
     * "does not exist" (NOT_FOUND), an event on a configured root was rejected for good and a stat found nothing, where
     * readiness said the root was missing and a missing one is retried.
     */
    private StorageException notAFolderRoot(NotDirectoryException e) {
        if (configured)
            return new StorageException(Kind.UNAVAILABLE, "root folder " + root + " is not a folder: something else (a file?) stands"
                    + " in its place", e);
        return new StorageException(Kind.NOT_FOUND, "folder " + root + " is not a folder", e);
    }

    private static List<Path> names(Path p) {
        List<Path> names = new ArrayList<>();
        for (Path name : p) {
            if (!name.toString().isEmpty()) names.add(name);
        }
        return names;
    }

    private <T> T walk(List<Path> names, boolean createFolders, InFolder<T> action) throws IOException {
        Path realRoot = realRoot();
        SecureDirectoryStream<Path> folder;
        try {
            folder = openRoot(realRoot);
        } catch (NoSuchFileException e) {
            throw missingRoot(e); // removed since it was resolved
        } catch (NotDirectoryException e) {
            throw notAFolderRoot(e);
        }
        try {
            Path walked = realRoot;
            for (Path name : names.subList(0, names.size() - 1)) {
                SecureDirectoryStream<Path> next = openFolder(folder, walked, name, createFolders);
                folder.close();
                folder = next;
                walked = walked.resolve(name);
            }
            return action.apply(folder, names.get(names.size() - 1));
        } finally {
            folder.close();
        }
    }

    private static SecureDirectoryStream<Path> openRoot(Path realRoot) throws IOException {
        DirectoryStream<Path> opened = Files.newDirectoryStream(realRoot);
        if (opened instanceof SecureDirectoryStream<Path> secure) return secure;
        opened.close();
        throw new StorageException(Kind.FAILED, "this platform cannot open folders race-free (no SecureDirectoryStream);"
                + " local storage needs Linux or another POSIX system with openat");
    }

    private static SecureDirectoryStream<Path> openFolder(SecureDirectoryStream<Path> folder, Path walked, Path name,
                                                          boolean create) throws IOException {
        try {
            // A FIFO or device where a folder should be is no folder: opened as one, a FIFO waited for a writer forever
            // (the open is also released if one is put there meanwhile, RegularFileOpen.released)
            if (attributes(folder, name).isOther()) throw new NotDirectoryException(walked.resolve(name).toString());
            return openFolder(folder, walked, name);
        } catch (NoSuchFileException e) {
            if (!create) throw e;
        } catch (NotDirectoryException e) {
            throw e;
        } catch (FileSystemException e) {
            throw linkOr(folder, name, e);
        }
        createFolder(folder, walked, name);
        try {
            return openFolder(folder, walked, name);
        } catch (NoSuchFileException e) {
            throw new LinkFound(name); // created elsewhere: the tree changed under us, walk again
        } catch (NotDirectoryException e) {
            throw e;
        } catch (FileSystemException e) {
            throw linkOr(folder, name, e);
        }
    }

    private static SecureDirectoryStream<Path> openFolder(SecureDirectoryStream<Path> folder, Path walked, Path name)
            throws IOException {
        return RegularFileOpen.released(folder, name, walked.resolve(name),
                () -> folder.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Java cannot create a folder relative to an open one (no mkdirat), so the new folder is created by name, after
     * checking that the name still leads to the folder that is open. Only a real folder of the root swapped for a
     * link in the microseconds between the check and the creation could misplace it, and then only as an empty
     * folder: the walk that follows opens it relative to the open folder and does not find it.
     */
    private static void createFolder(SecureDirectoryStream<Path> folder, Path walked, Path name) throws IOException {
        Object expected = folder.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        Object byName = Files.readAttributes(walked, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (expected == null || !Objects.equals(expected, byName)) throw new LinkFound(name);
        try {
            Files.createDirectory(walked.resolve(name));
        } catch (FileAlreadyExistsException e) {
            // made by a concurrent writer: fine, it is opened next
        }
    }

    /** {@code e} unless {@code name} is a symbolic link (O_NOFOLLOW's ELOOP), in which case {@link LinkFound}. */
    static IOException linkOr(SecureDirectoryStream<Path> folder, Path name, IOException e) {
        try {
            if (attributes(folder, name).isSymbolicLink()) return new LinkFound(name);
        } catch (IOException ignored) {
            // gone meanwhile: the original error says more
        }
        return e;
    }

    /** The attributes of {@code name} itself, never of what it links to. */
    static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        return folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    private static StorageException throughLink(ObjectRef ref) {
        return new StorageException(Kind.NOT_ALLOWED, ref.uri() + " goes through a symbolic link");
    }
}
