package dev.openshell.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs these executables: a name (e.g. {@code nft}, {@code ip}, {@code python3}) is
 * looked up in the system directories, an absolute path (e.g. {@code
 * /usr/lib/postgresql/15/bin/initdb}) is taken as it is. Skipped with the reason otherwise, failed
 * under CI. Repeatable, so a class can add tools to those a meta-annotation already requires.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Repeatable(RequiresTools.class)
@ExtendWith(CapabilityCheck.class)
public @interface RequiresTool {
    String[] value();
}
