package dev.openshell.api.policy;

import dev.openshell.api.SafeText;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;

/** Shape checks shared by the policy operations; the policy engine does the full validation. */
final class Shapes {

    private Shapes() {}

    static void hostPort(Violations v, String field, String host, int port) {
        if (host == null || host.isEmpty()) {
            v.add(field + ".host", "is required");
        } else {
            TextRules.checkLine(v, field + ".host", host, PolicyOperation.MAX_HOST);
            if (host.indexOf(' ') >= 0 || host.indexOf('/') >= 0) {
                v.add(field + ".host", SafeText.quote(host) + " is not a host name or address");
            }
        }
        if (port < 1 || port > 65535) {
            v.add(field + ".port", port + " is not a port (1 to 65535)");
        }
    }

    static void binary(Violations v, String field, String binary) {
        TextRules.checkLine(v, field, binary, PolicyOperation.MAX_PATH);
        if (!binary.startsWith("/")) {
            v.add(field, SafeText.quote(binary) + " must be an absolute path");
        }
    }

    static void rule(Violations v, String field, String method, String path) {
        if (method == null) {
            v.add(field + ".method", "is required (an HTTP method or *)");
        } else if (!method.equals("*") && !isToken(method)) {
            v.add(field + ".method", SafeText.quote(method) + " is not an upper-case HTTP method or *");
        }
        if (path == null) {
            v.add(field + ".path", "is required (a path glob starting with /)");
        } else {
            TextRules.checkLine(v, field + ".path", path, PolicyOperation.MAX_PATH);
            if (!path.startsWith("/")) {
                v.add(field + ".path", SafeText.quote(path) + " must start with /");
            }
        }
    }

    private static boolean isToken(String method) {
        if (method.isEmpty() || method.length() > 32) {
            return false;
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }
}
