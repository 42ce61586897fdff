package dev.openshell.bootstrap.pki;

/** Making, reading or writing certificates and keys failed; the message names the file or step. */
public final class PkiException extends RuntimeException {

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
