package dev.openshell.cli.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an upload sends: .gitignore files as git reads them, and links that leave the tree refused. */
class UploadTreeTest {

    @TempDir
    Path tmp;

    @Test
    void gitIgnoreRulesAsGitReadsThem() throws Exception {
        Path root = tmp.resolve("proj");
        write(
                root,
                ".gitignore",
                String.join(
                        "\n",
                        "# build output",
                        "*.log",
                        "!keep.log",
                        "build/",
                        "/top-only.txt",
                        "docs/**/draft-*",
                        "cache",
                        "\\#hash.txt",
                        "trailing.txt   ",
                        "[abc].tmp",
                        ""));
        write(root, "a.log", "x");
        write(root, "keep.log", "x");
        write(root, "src/deep/b.log", "x");
        write(root, "src/deep/keep.log", "x");
        write(root, "build/out.bin", "x");
        write(root, "src/build", "a file named build is not a directory");
        write(root, "top-only.txt", "x");
        write(root, "src/top-only.txt", "x");
        write(root, "docs/draft-1.md", "x");
        write(root, "docs/x/y/draft-2.md", "x");
        write(root, "docs/final.md", "x");
        write(root, "cache/c.bin", "x");
        write(root, "src/cache", "x");
        write(root, "#hash.txt", "x");
        write(root, "trailing.txt", "x");
        write(root, "a.tmp", "x");
        write(root, "d.tmp", "x");
        write(root, ".git/HEAD", "ref");
        // nested: re-includes what the parent ignored, and ignores more below it
        write(root, "src/.gitignore", "!b.log\nlocal-only/\n/anchored.txt\n");
        write(root, "src/b.log", "x");
        write(root, "src/local-only/x", "x");
        write(root, "src/anchored.txt", "x");
        write(root, "src/sub/anchored.txt", "x");

        List<String> sentFiles = UploadTree.of(root, true).entries().stream()
                .filter(e -> e.kind() != UploadTree.Kind.DIRECTORY)
                .map(UploadTree.Entry::name)
                .sorted()
                .toList();
        List<String> all = names(UploadTree.of(root, false));

        // What `git add -A; git ls-files` keeps of the same tree (checked with git 2.39).
        assertThat(sentFiles)
                .containsExactly(
                        "proj/.gitignore",
                        "proj/d.tmp",
                        "proj/docs/final.md",
                        "proj/keep.log",
                        "proj/src/.gitignore",
                        "proj/src/b.log",
                        "proj/src/build",
                        "proj/src/deep/b.log",
                        "proj/src/deep/keep.log",
                        "proj/src/sub/anchored.txt",
                        "proj/src/top-only.txt");
        assertThat(all).contains("proj/a.log", "proj/.git/HEAD", "proj/build/out.bin", "proj/src/anchored.txt");
    }

    @Test
    void aFileInAnIgnoredDirectoryCannotBeReincluded() throws Exception {
        Path root = tmp.resolve("p");
        write(root, ".gitignore", "out/\n!out/keep.txt\n");
        write(root, "out/keep.txt", "x");

        assertThat(names(UploadTree.of(root, true))).doesNotContain("p/out/keep.txt");
    }

    @Test
    void linksThatLeaveTheTreeAreRefusedInOneLineNamingTheLink() throws Exception {
        for (String target :
                new String[] {"/etc/passwd", "../../outside", "../../../etc", "sub/../../../outside", "/", "../.."}) {
            Path root = tmp.resolve("links-" + Math.abs(target.hashCode()));
            write(root, "sub/file", "x");
            Path link = Files.createSymbolicLink(root.resolve("sub/escape"), Path.of(target));

            assertThatThrownBy(() -> UploadTree.of(root, false))
                    .as(target)
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("symbolic link " + link + " points outside the upload");
        }
    }

    @Test
    void linksInsideTheTreeAreKeptAndAbsoluteOnesMadeRelative() throws Exception {
        Path root = tmp.resolve("in");
        write(root, "sub/file", "x");
        Files.createSymbolicLink(root.resolve("rel"), Path.of("sub/file"));
        Files.createSymbolicLink(root.resolve("sub/abs"), root.resolve("sub/file"));

        UploadTree tree = UploadTree.of(root, false);

        assertThat(tree.entries())
                .filteredOn(e -> e.kind() == UploadTree.Kind.LINK)
                .extracting(UploadTree.Entry::name, UploadTree.Entry::linkTarget)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("in/rel", "sub/file"),
                        org.assertj.core.groups.Tuple.tuple("in/sub/abs", "file"));
    }

    @Test
    void anIgnoredEscapingLinkDoesNotStopTheUpload() throws Exception {
        Path root = tmp.resolve("ign");
        write(root, ".gitignore", "escape\n");
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));

        assertThat(names(UploadTree.of(root, true))).containsExactly("ign", "ign/.gitignore");
    }

    static List<String> names(UploadTree tree) {
        return tree.entries().stream().map(UploadTree.Entry::name).toList();
    }

    static void write(Path root, String relative, String text) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
