package io.streamfold.service.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a request's credentials into a {@link Principal}, or refuses them with a 401. */
public final class Authenticator {
  private final SecuritySettings settings;
  private final JWSVerifier hmac;
  private final JWSVerifier rsa;
  private final DefaultJWTClaimsVerifier<SecurityContext> claims;

  public Authenticator(SecuritySettings settings) {
    this.settings = settings;
    try {
      this.hmac = settings.hmacSecret() == null ? null : new MACVerifier(settings.hmacSecret());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable HS256 secret: " + e.getMessage(), e);
    }
    this.rsa = settings.rsaKey() == null ? null : new RSASSAVerifier(settings.rsaKey());
    this.claims =
        settings.jwtEnabled()
            ? new DefaultJWTClaimsVerifier<>(
                settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp"))
            : null;
    if (claims != null) {
      claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    }
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
          "unauthenticated",
          "This API needs credentials: an X-API-Key header or Authorization: Bearer <token>",
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
        "unsupported-credentials",
        "Authorization scheme must be Bearer or ApiKey",
        "invalid_request");
  }

  private Principal byApiKey(String key) {
    Principal principal = key.isEmpty() ? null : settings.apiKeys().get(ApiKeys.digest(key));
    if (principal == null) {
      throw unauthenticated("invalid-credentials", "The API key is not valid", null);
    }
    return principal;
  }

  private Principal byToken(String token) {
    if (!settings.jwtEnabled()) {
      throw unauthenticated(
          "invalid-token", "Bearer tokens are not accepted here; use an API key", "invalid_token");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw invalidToken("The bearer token is not a signed JWT");
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier =
        JWSAlgorithm.HS256.equals(algorithm)
            ? hmac
            : JWSAlgorithm.RS256.equals(algorithm) ? rsa : null;
    if (verifier == null) {
      throw invalidToken("Tokens signed with " + algorithm + " are not accepted");
    }
    JWTClaimsSet claimsSet;
    try {
      if (!jwt.verify(verifier)) {
        throw invalidToken("The token's signature does not verify");
      }
      claimsSet = jwt.getJWTClaimsSet();
      claims.verify(claimsSet, null);
    } catch (BadJWTException e) {
      throw invalidToken("The token is not acceptable: " + e.getMessage());
    } catch (JOSEException | ParseException e) {
      throw invalidToken("The token could not be verified");
    }
    Collection<String> scopes = scopes(claimsSet);
    return new Principal(
        claimsSet.getSubject(),
        "jwt",
        scopes.contains(settings.readScope()) || scopes.contains(settings.writeScope()),
        scopes.contains(settings.writeScope()));
  }

  /** OAuth scopes: a space-separated {@code scope}, or {@code scp} as a list or a string. */
  private static Collection<String> scopes(JWTClaimsSet claims) {
    List<String> scopes = new ArrayList<>();
    for (String name : List.of("scope", "scp")) {
      Object value = claims.getClaim(name);
      if (value instanceof String text) {
        scopes.addAll(List.of(text.trim().split("\\s+")));
      } else if (value instanceof Collection<?> list) {
        list.forEach(item -> scopes.add(String.valueOf(item)));
      }
    }
    return scopes;
  }

  private static ProblemException invalidToken(String detail) {
    return unauthenticated("invalid-token", detail, "invalid_token");
  }

  private static ProblemException unauthenticated(String code, String detail, String error) {
    return new ProblemException(
        Problem.of(401, code, "Unauthorized", detail),
        Map.of(
            "WWW-Authenticate",
            "Bearer realm=\"streamfold\"" + (error == null ? "" : ", error=\"" + error + "\"")));
  }
}
