package dev.openshell.sandbox;

import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresSeccomp;
import dev.openshell.testkit.RequiresTool;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test starts real sandboxes: root (namespaces, veths, users), {@code ip} and {@code nft} (the
 * sandbox network and its rules in the host namespace), Landlock and seccomp (the launcher's
 * confinement). Skipped with the reason otherwise, failed under CI (see {@code openshell-testkit}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@RequiresRoot
@RequiresLandlock
@RequiresSeccomp
@RequiresTool({"ip", "nft"})
public @interface SandboxHost {}
