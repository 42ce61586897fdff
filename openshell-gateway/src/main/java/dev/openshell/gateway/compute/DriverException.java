package dev.openshell.gateway.compute;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;

/** A driver could not do what it was asked; the code says how the API reports it. */
public class DriverException extends ApiException {

    public DriverException(ErrorCode code, String detail) {
        super(code, detail);
    }

    public DriverException(ErrorCode code, String detail, Throwable cause) {
        super(code, detail, cause);
    }
}
