package io.streamfold.service.security;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.util.Map;

/**
 * Guards {@code /api/*} and {@code /internal/*}: authenticates (when configured), checks the
 * permission the method needs, applies the rate limit and remembers the principal for the handler.
 *
 * <p>Failed authentications are limited per client address, before any credentials are checked: an
 * address that failed {@code AUTH_FAILURE_BURST} times gets 429 for everything, good credentials
 * included, until its bucket refills at {@code AUTH_FAILURES_PER_MINUTE}, so guessing keys or
 * secrets from one address runs at that pace at most.
 */
public final class Security {
  private static final String ATTRIBUTE = "streamfold.principal";

  private final SecuritySettings settings;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final RateLimiter failures;

  public Security(SecuritySettings settings) {
    this.settings = settings;
    this.authenticator = settings.authenticationRequired() ? new Authenticator(settings) : null;
    this.limiter =
        settings.ratePerSecond() > 0
            ? new RateLimiter(settings.ratePerSecond(), settings.burst(), System::nanoTime)
            : null;
    this.failures =
        new RateLimiter(
            settings.authFailuresPerMinute() / 60.0, settings.authFailureBurst(), System::nanoTime);
  }

  public void install(JavalinConfig config) {
    if (authenticator == null && limiter == null) {
      return;
    }
    config.routes.before("/api/*", this::guard);
    config.routes.before("/internal/*", this::guard);
  }

  /** The authenticated principal's name, or null when authentication is off. */
  public static String principal(Context ctx) {
    Principal principal = ctx.attribute(ATTRIBUTE);
    return principal == null ? null : principal.name();
  }

  private void guard(Context ctx) {
    Principal principal = null;
    if (authenticator != null) {
      String address = "ip:" + ctx.ip();
      long blocked = failures.waitFor(address);
      if (blocked > 0) {
        throw new ProblemException(
            Problem.of(
                429,
                "too-many-failed-authentications",
                "Too many failed authentications",
                "Too many failed authentications from this address; retry after " + blocked + " s"),
            Map.of("Retry-After", Long.toString(blocked)));
      }
      try {
        principal =
            authenticator.authenticate(ctx.header("Authorization"), ctx.header("X-API-Key"));
      } catch (ProblemException e) {
        if (e.problem().status() == 401) {
          failures.acquire(address);
        }
        throw e;
      }
      boolean reading = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
      if (reading ? !principal.canRead() : !principal.canWrite()) {
        throw new ProblemException(
            Problem.of(
                403,
                "forbidden",
                "Forbidden",
                principal.name()
                    + " may not "
                    + (reading ? "read" : "send commands")
                    + (principal.method().equals("jwt")
                        ? "; the token needs scope "
                            + (reading ? settings.readScope() : settings.writeScope())
                        : "")));
      }
      ctx.attribute(ATTRIBUTE, principal);
    }
    if (limiter != null) {
      long retryAfter = limiter.acquire(principal == null ? "ip:" + ctx.ip() : principal.name());
      if (retryAfter > 0) {
        throw new ProblemException(
            Problem.of(
                429,
                "rate-limited",
                "Too many requests",
                "More than "
                    + settings.ratePerSecond()
                    + " requests per second (burst "
                    + settings.burst()
                    + ")"),
            Map.of("Retry-After", Long.toString(retryAfter)));
      }
    }
  }
}
