package dev.openshell.cli.files;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .gitignore} files in effect at one directory of a walk, from the root's down: the
 * deepest file that has a matching pattern decides, and within a file the last matching pattern.
 * {@code .git} itself is always left out. A directory that is ignored is not walked, so nothing
 * below it can be re-included, as with git.
 */
final class IgnoreRules {

    private final List<GitIgnoreFile> files;

    IgnoreRules() {
        this(List.of());
    }

    private IgnoreRules(List<GitIgnoreFile> files) {
        this.files = files;
    }

    IgnoreRules with(GitIgnoreFile file) {
        List<GitIgnoreFile> more = new ArrayList<>(files);
        more.add(file);
        return new IgnoreRules(List.copyOf(more));
    }

    /** Whether {@code path} (relative to the root, '/'-separated) is left out. */
    boolean ignored(String path, boolean directory) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (directory && name.equals(".git")) {
            return true;
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            Boolean decision = files.get(i).decide(path, directory);
            if (decision != null) {
                return decision;
            }
        }
        return false;
    }
}
