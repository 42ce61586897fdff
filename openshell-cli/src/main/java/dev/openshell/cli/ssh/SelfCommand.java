package dev.openshell.cli.ssh;

import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.support.CliEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run this CLI again from another program ({@code ssh}'s {@code ProxyCommand}, a background
 * forward): the launcher script the user typed ({@code openshell.invoked}, set by {@code
 * bin/openshell}) made absolute, else this JVM with this class path.
 */
public final class SelfCommand {

    private SelfCommand() {}

    public static List<String> argv(CliEnvironment env) {
        String invoked = System.getProperty("openshell.invoked");
        if (invoked != null && !invoked.isBlank()) {
            Path launcher = locate(invoked, env.get("PATH"));
            if (launcher != null) {
                return List.of(launcher.toString());
            }
        }
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(OpenShellCli.class.getName());
        return argv;
    }

    private static Path locate(String invoked, String path) {
        if (invoked.contains("/")) {
            Path p = Path.of(invoked).toAbsolutePath().normalize();
            return Files.isExecutable(p) ? p : null;
        }
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Path.of(dir).isAbsolute()) {
                Path p = Path.of(dir, invoked);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
