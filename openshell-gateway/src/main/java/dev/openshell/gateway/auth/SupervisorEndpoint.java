package dev.openshell.gateway.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An endpoint a sandbox's supervisor calls for its own sandbox (the path variable {@code name}):
 * its supervisor token, or the operator's certificate, may use it; no other token may.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface SupervisorEndpoint {}
