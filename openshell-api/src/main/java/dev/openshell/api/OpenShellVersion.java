package dev.openshell.api;

/** The OpenShell release this build belongs to. */
public final class OpenShellVersion {

    private OpenShellVersion() {}

    /** The version from the jar manifest, or "dev" when run from classes. */
    public static String current() {
        String v = OpenShellVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
