package dev.openshell.bootstrap.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One thing a host needs (or may offer) to run sandboxes, and whether it does.
 *
 * @param name what is checked ({@code root}, {@code nft}, {@code landlock}, ...)
 * @param status whether it is there
 * @param detail what was found, one line
 * @param fix what to do when it is not there (a package to install, a kernel option); absent when OK
 * @param requiredFor what cannot run without it ({@code local driver}), or absent when optional
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostCheck(String name, Status status, String detail, String fix, String requiredFor) {

    /** The outcome of a check. */
    public enum Status {
        OK("ok"),
        /** Works without it, with less protection or fewer options. */
        WARNING("warning"),
        MISSING("missing");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    /** Whether the local driver cannot run without what this check found missing. */
    public boolean blocksLocalDriver() {
        return status == Status.MISSING && requiredFor != null;
    }
}
