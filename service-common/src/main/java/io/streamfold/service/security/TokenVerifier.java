package io.streamfold.service.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Verifies a JWT bearer token: the signature with the key configured for the token's algorithm
 * (nimbus-jose-jwt does the cryptography), then the claims, each failure with a stable reason.
 */
final class TokenVerifier {
  /** Why a token was refused; the {@code reason} member of the 401 problem. */
  enum Reason {
    MALFORMED("the bearer token is not a signed JWT"),
    UNSUPPORTED_ALGORITHM("tokens signed with this algorithm are not accepted"),
    BAD_SIGNATURE("the token's signature does not verify"),
    MISSING_CLAIM("the token lacks sub or exp"),
    EXPIRED("the token has expired"),
    NOT_YET_VALID("the token is not valid yet (nbf)"),
    WRONG_ISSUER("the token was issued by another issuer"),
    WRONG_AUDIENCE("the token is meant for another audience");

    final String detail;

    Reason(String detail) {
      this.detail = detail;
    }

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** A refused token. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Reason reason;

    Refused(Reason reason) {
      super(reason.detail, null, false, false);
      this.reason = reason;
    }
  }

  private final SecuritySettings settings;
  private final JWSVerifier hmac;
  private final JWSVerifier rsa;
  private final Clock clock;

  TokenVerifier(SecuritySettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    try {
      this.hmac = settings.hmacSecret() == null ? null : new MACVerifier(settings.hmacSecret());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable HS256 secret: " + e.getMessage(), e);
    }
    this.rsa = settings.rsaKey() == null ? null : new RSASSAVerifier(settings.rsaKey());
  }

  Principal verify(String token) throws Refused {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Refused(Reason.MALFORMED);
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier =
        JWSAlgorithm.HS256.equals(algorithm)
            ? hmac
            : JWSAlgorithm.RS256.equals(algorithm) ? rsa : null;
    if (verifier == null) {
      throw new Refused(Reason.UNSUPPORTED_ALGORITHM);
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new Refused(Reason.BAD_SIGNATURE);
      }
    } catch (JOSEException e) {
      throw new Refused(Reason.BAD_SIGNATURE);
    }
    checkClaims(claims);
    Collection<String> scopes = scopes(claims);
    return new Principal(
        claims.getSubject(),
        "jwt",
        scopes.contains(settings.readScope()) || scopes.contains(settings.writeScope()),
        scopes.contains(settings.writeScope()));
  }

  private void checkClaims(JWTClaimsSet claims) throws Refused {
    if (claims.getSubject() == null
        || claims.getSubject().isBlank()
        || claims.getExpirationTime() == null) {
      throw new Refused(Reason.MISSING_CLAIM);
    }
    Instant now = clock.instant();
    if (!at(claims.getExpirationTime()).plus(settings.clockSkew()).isAfter(now)) {
      throw new Refused(Reason.EXPIRED);
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && at(notBefore).minus(settings.clockSkew()).isAfter(now)) {
      throw new Refused(Reason.NOT_YET_VALID);
    }
    if (!settings.issuer().equals(claims.getIssuer())) {
      throw new Refused(Reason.WRONG_ISSUER);
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(settings.audience())) {
      throw new Refused(Reason.WRONG_AUDIENCE);
    }
  }

  private static Instant at(Date date) {
    return date.toInstant();
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
}
