package io.streamfold.service.http;

import java.util.Map;

/** Ends a request with a problem+json answer (and optional headers, e.g. {@code Retry-After}). */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;
  private final transient Map<String, String> headers;

  public ProblemException(Problem problem) {
    this(problem, Map.of());
  }

  public ProblemException(Problem problem, Map<String, String> headers) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = headers;
  }

  public static ProblemException badRequest(String code, String detail) {
    return new ProblemException(Problem.of(400, code, "Bad request", detail));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(404, "not-found", "Not found", detail));
  }

  /** 503 with {@code Retry-After}: the service cannot answer truthfully right now. */
  public static ProblemException unavailable(String code, String detail, int retryAfterSeconds) {
    return new ProblemException(
        Problem.of(503, code, "Service unavailable", detail),
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  public Problem problem() {
    return problem;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
