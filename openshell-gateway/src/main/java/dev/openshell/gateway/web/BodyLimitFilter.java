package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.gateway.config.GatewayProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies: a declared {@code Content-Length} above the limit is refused at once, and
 * a chunked body is counted as it is read and cut off at the limit ({@code payload_too_large}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BodyLimitFilter extends OncePerRequestFilter {

    /** File uploads ({@code PUT .../files}) are tar streams: they get their own, larger limit. */
    private static final java.util.regex.Pattern UPLOAD =
            java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(ApiPaths.SANDBOXES) + "/[^/]+/files");

    private final long defaultLimit;
    private final long uploadLimit;

    public BodyLimitFilter(GatewayProperties properties) {
        this.defaultLimit = properties.limits().maxRequestBytes();
        this.uploadLimit = properties.limits().maxUploadBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        long limit = "PUT".equals(request.getMethod()) && UPLOAD.matcher(path).matches() ? uploadLimit : defaultLimit;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            ProblemResponses.write(request, response, tooLarge(limit));
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    private static Problem tooLarge(long limit) {
        return Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + limit + " bytes");
    }

    private final class Bounded extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > max) {
                throw new ApiException(tooLarge(max));
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
