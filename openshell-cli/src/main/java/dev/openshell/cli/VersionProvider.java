package dev.openshell.cli;

import dev.openshell.api.OpenShellVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code openshell --version}: the release, and the Java runtime and OS it runs on. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "openshell " + OpenShellVersion.current(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch")
        };
    }
}
