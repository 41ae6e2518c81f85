package dev.agentlake.query;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the dashboard (the static-site module's files, on the classpath under
 * {@code agentlake-site/}) from the same origin as the API. Only plain file names are served:
 * anything with {@code ..}, backslashes or odd characters is a 404, so no path escapes the site.
 */
@Controller
@Requires(property = "agentlake.query.enabled", notEquals = "false")
final class SiteController {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "ico", "image/x-icon",
            "map", "application/json",
            "woff2", "font/woff2");

    @Get(uri = "/", produces = MediaType.ALL)
    HttpResponse<byte[]> index() {
        return file("index.html");
    }

    // The regex keeps this catch-all off /api/… and /health: with Accept: */* (curl, scripts, load
    // balancers) it would otherwise compete with the JSON routes and answer 404 for them.
    @Get(uri = "/{+path:(?!api/)(?!health$).*}", produces = MediaType.ALL)
    HttpResponse<byte[]> file(@PathVariable String path) {
        if (path.startsWith("api/") || path.equals("health") || !SAFE.matcher(path).matches() || path.contains("..")) {
            return notFound();
        }
        try (InputStream in = SiteController.class.getResourceAsStream("/agentlake-site/" + path)) {
            if (in == null) {
                return notFound();
            }
            String ext = path.substring(path.lastIndexOf('.') + 1);
            return HttpResponse.ok(in.readAllBytes())
                    .contentType(TYPES.getOrDefault(ext, "application/octet-stream"))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<byte[]> notFound() {
        return HttpResponse.<byte[]>status(HttpStatus.NOT_FOUND)
                .body("{\"error\":\"not_found\",\"message\":\"no such file\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
