package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.service.http.ProblemException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last step of a blue-green rebuild: this instance hands its readers to the deployment that
 * replaces it. Once retired ({@code POST /api/v1/admin/retire} with the successor's URL), it is not
 * ready (so a load balancer or a Kubernetes Service stops sending it readers) and answers every
 * public read with {@code 307 Temporary Redirect} to the same path and query at the successor (so a
 * reader that calls it directly follows); {@code /api/v1/status}, the admin routes, health and
 * {@code /internal} keep answering. {@code DELETE /api/v1/admin/retire} takes it back. Kept in
 * memory: a restarted instance serves again, so stop the old deployment once readers have moved.
 */
public final class Retirement {
  private volatile String successor;

  public void install(JavalinConfig config) {
    config.routes.before("/api/v1/*", this::redirect);
    config.routes.post("/api/v1/admin/retire", this::retire);
    config.routes.delete(
        "/api/v1/admin/retire",
        ctx -> {
          successor = null;
          ctx.json(state());
        });
    config.routes.get("/api/v1/admin/retire", ctx -> ctx.json(state()));
  }

  /** Null while this instance serves its readers. */
  public String successor() {
    return successor;
  }

  private void retire(Context ctx) {
    String url = null;
    try {
      com.fasterxml.jackson.databind.JsonNode body =
          io.streamfold.service.http.Json.mapper().readTree(ctx.body());
      if (body != null && body.path("successor").isTextual()) {
        url = body.get("successor").asText();
      }
    } catch (java.io.IOException notJson) {
      // refused below
    }
    URI parsed;
    try {
      parsed = url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null
        || parsed.getHost() == null
        || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
        || (parsed.getPath() != null
            && !parsed.getPath().isEmpty()
            && !parsed.getPath().equals("/"))
        || parsed.getQuery() != null) {
      throw ProblemException.badRequest(
          "invalid-successor",
          "The body must be {\"successor\": \"http(s)://host:port\"}, the base URL of the"
              + " deployment that takes the readers over; not "
              + url);
    }
    successor = parsed.getScheme() + "://" + parsed.getRawAuthority();
    ctx.json(state());
  }

  private void redirect(Context ctx) {
    String to = successor;
    String path = ctx.path();
    if (to == null || path.startsWith("/api/v1/status") || path.startsWith("/api/v1/admin")) {
      return;
    }
    String query = ctx.queryString();
    ctx.header("Cache-Control", "no-store");
    throw new ProblemException(
        io.streamfold.service.http.Problem.of(
            307,
            "retired",
            "Moved to the successor deployment",
            "This instance has handed its readers to " + to + "; read there"),
        Map.of("Location", to + path + (query == null ? "" : "?" + query)));
  }

  private Map<String, Object> state() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("retired", successor != null);
    body.put("successor", successor);
    return body;
  }
}
