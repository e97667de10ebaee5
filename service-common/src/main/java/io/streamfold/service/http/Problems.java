package io.streamfold.service.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one problem mapper of a service: every error leaves as problem+json. Expected problems are
 * {@link ProblemException}s; Javalin's own (413, 404, 405, …) are translated; anything else is a
 * 500 without a stack trace in the body, logged once here.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static void install(JavalinConfig config) {
    config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
    config.routes.exception(
        ProblemException.class,
        (e, ctx) -> {
          e.headers().forEach(ctx::header);
          write(ctx, e.problem());
        });
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e.getStatus() == 413) {
            drain(ctx);
          }
          write(ctx, fromJavalin(e.getStatus(), e.getMessage()));
        });
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
          write(
              ctx,
              Problem.of(
                  500,
                  "internal-error",
                  "Internal server error",
                  "An unexpected error occurred; it has been logged"));
        });
    config.routes.error(
        404,
        ctx -> {
          if (!isProblem(ctx)) {
            write(ctx, Problem.of(404, "not-found", "Not found", "No resource at " + ctx.path()));
          }
        });
    config.routes.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            write(
                ctx,
                Problem.of(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path()));
          }
        });
  }

  /** The most of a refused body read and dropped so that its 413 arrives (see {@link #drain}). */
  static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  /**
   * Reads and drops what is left of a body that was refused as too large, up to {@link
   * #DRAIN_LIMIT}. Otherwise Jetty answers and closes the connection with the body still arriving,
   * and the client, still writing it, can meet a TCP reset and never read the 413 (seen in CI;
   * jetty/jetty.project#12079). Drained, the connection even stays open for the next request.
   * Beyond the limit the connection is closed as before.
   */
  private static void drain(Context ctx) {
    try {
      java.io.InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long read = 0;
      for (int n = 0; n != -1 && read < DRAIN_LIMIT; n = in.read(buffer)) {
        read += n;
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("Could not drain a refused body", e);
    }
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(Problem.CONTENT_TYPE);
  }

  private static Problem fromJavalin(int status, String message) {
    switch (status) {
      case 413:
        return Problem.of(
            413, "payload-too-large", "Payload too large", "The request body exceeds the limit");
      case 404:
        return Problem.of(404, "not-found", "Not found", message);
      case 405:
        return Problem.of(405, "method-not-allowed", "Method not allowed", message);
      default:
        return Problem.of(status, "http-" + status, message, message);
    }
  }

  /** Writes {@code problem} as the response. */
  public static void write(Context ctx, Problem problem) {
    ctx.status(problem.status());
    try {
      ctx.contentType(Problem.CONTENT_TYPE)
          .result(Json.mapper().writeValueAsString(problem.body(ctx.path())));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a problem", e);
    }
  }
}
