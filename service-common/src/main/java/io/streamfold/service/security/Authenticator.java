package io.streamfold.service.security;

import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.time.Clock;
import java.util.Map;

/** Turns a request's credentials into a {@link Principal}, or refuses them with a 401. */
public final class Authenticator {
  private final SecuritySettings settings;
  private final TokenVerifier tokens;

  public Authenticator(SecuritySettings settings) {
    this(settings, Clock.systemUTC());
  }

  Authenticator(SecuritySettings settings, Clock clock) {
    this.settings = settings;
    this.tokens = settings.jwtEnabled() ? new TokenVerifier(settings, clock) : null;
  }

  /**
   * @param authorization the {@code Authorization} header, or null
   * @param apiKey the {@code X-API-Key} header, or null
   */
  public Principal authenticate(String authorization, String apiKey) {
    if (apiKey != null) {
      return byApiKey(apiKey);
    }
    if (authorization == null || authorization.isBlank()) {
      throw unauthenticated(
          Problem.of(
              401,
              "unauthenticated",
              "Unauthorized",
              "This API needs credentials: an X-API-Key header or Authorization: Bearer <token>"),
          null);
    }
    int space = authorization.indexOf(' ');
    String scheme = space < 0 ? authorization : authorization.substring(0, space);
    String credentials = space < 0 ? "" : authorization.substring(space + 1).trim();
    if (scheme.equalsIgnoreCase("ApiKey")) {
      return byApiKey(credentials);
    }
    if (scheme.equalsIgnoreCase("Bearer")) {
      return byToken(credentials);
    }
    throw unauthenticated(
        Problem.of(
            401,
            "unsupported-credentials",
            "Unauthorized",
            "Authorization scheme must be Bearer or ApiKey"),
        "invalid_request");
  }

  private Principal byApiKey(String key) {
    Principal principal = key.isEmpty() ? null : settings.apiKeys().get(ApiKeys.digest(key));
    if (principal == null) {
      throw unauthenticated(
          Problem.of(401, "invalid-credentials", "Unauthorized", "The API key is not valid"), null);
    }
    return principal;
  }

  private Principal byToken(String token) {
    if (tokens == null) {
      throw unauthenticated(
          Problem.of(
              401,
              "invalid-token",
              "Unauthorized",
              "Bearer tokens are not accepted here; use an API key"),
          "invalid_token");
    }
    try {
      return tokens.verify(token);
    } catch (TokenVerifier.Refused refused) {
      throw unauthenticated(
          Problem.of(401, "invalid-token", "Unauthorized", "Refused: " + refused.reason.detail)
              .with("reason", refused.reason.code()),
          "invalid_token");
    }
  }

  private static ProblemException unauthenticated(Problem problem, String error) {
    return new ProblemException(
        problem,
        Map.of(
            "WWW-Authenticate",
            "Bearer realm=\"streamfold\"" + (error == null ? "" : ", error=\"" + error + "\"")));
  }
}
