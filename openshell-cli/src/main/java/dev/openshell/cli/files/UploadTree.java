package dev.openshell.cli.files;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an upload sends, decided before a byte goes out: the files, directories and symbolic links
 * under a local path, minus what its {@code .gitignore} files exclude (and {@code .git}), unless
 * told otherwise. A symbolic link whose target leaves the uploaded tree stops the upload, in one
 * line naming the link: it would hand the sandbox a path to somewhere else. Links inside the tree
 * are kept (absolute ones made relative, since the tree lands elsewhere in the sandbox). Other
 * file types (sockets, fifos, devices) are skipped.
 *
 * @param entries in walk order, parents before children; names start with the root's own name
 * @param skipped paths left out because they are neither files, directories nor links
 */
public record UploadTree(List<Entry> entries, List<Path> skipped) {

    /** One entry of the archive. */
    public record Entry(String name, Path local, Kind kind, String linkTarget, long size) {}

    public enum Kind {
        FILE,
        DIRECTORY,
        LINK
    }

    public UploadTree {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    public long totalBytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    /** Walks {@code source} (a file or a directory); {@code gitIgnore}: honour {@code .gitignore} files. */
    public static UploadTree of(Path source, boolean gitIgnore) {
        Path root = source.toAbsolutePath().normalize();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            throw CliErrors.usage(source + ": no such file or directory", "give a local file or directory");
        }
        String rootName =
                root.getFileName() == null ? "root" : root.getFileName().toString();
        List<Entry> entries = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        try {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSymbolicLink(root)) {
                    throw CliErrors.usage(
                            "symbolic link " + source + " points outside the upload",
                            "upload what it points to instead");
                }
                entries.add(new Entry(rootName, root, Kind.FILE, null, Files.size(root)));
                return new UploadTree(entries, skipped);
            }
            walk(root, root, rootName, gitIgnore ? new IgnoreRules() : null, entries, skipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return new UploadTree(entries, skipped);
    }

    private static void walk(
            Path root, Path dir, String name, IgnoreRules rules, List<Entry> entries, List<Path> skipped)
            throws IOException {
        entries.add(new Entry(name, dir, Kind.DIRECTORY, null, 0));
        String relativeDir = root.relativize(dir).toString();
        IgnoreRules here = rules;
        if (rules != null) {
            Path ignoreFile = dir.resolve(".gitignore");
            if (Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
                here = rules.with(GitIgnoreFile.parse(relativeDir, Files.readString(ignoreFile)));
            }
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (Path child : children) {
            BasicFileAttributes attrs =
                    Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String relative = root.relativize(child).toString();
            String childName = name + "/" + child.getFileName();
            if (here != null && here.ignored(relative, attrs.isDirectory())) {
                continue;
            }
            if (attrs.isSymbolicLink()) {
                entries.add(new Entry(childName, child, Kind.LINK, linkInside(root, child), 0));
            } else if (attrs.isDirectory()) {
                walk(root, child, childName, here, entries, skipped);
            } else if (attrs.isRegularFile()) {
                entries.add(new Entry(childName, child, Kind.FILE, null, attrs.size()));
            } else {
                skipped.add(child);
            }
        }
    }

    /** The link's target as a relative path that stays inside {@code root}; refuses any other. */
    static String linkInside(Path root, Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        Path resolved = link.getParent().resolve(target).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root) && target.isAbsolute()) {
            throw CliErrors.of(
                    ErrorCode.VALIDATION_FAILED,
                    "symbolic link " + link + " points outside the upload (to " + target + ")",
                    "remove it, list it in .gitignore, or upload what it points to");
        }
        return link.getParent().relativize(resolved).toString().replace('\\', '/');
    }
}
