/**
 * {@link dev.openshell.sandbox.error.SandboxException}, the base of the sandbox's unchecked
 * exceptions, each with an {@link dev.openshell.api.ErrorCode}. A leaf: every other package of the
 * sandbox may use it, it uses none of them.
 */
package dev.openshell.sandbox.error;
