package io.streamfold.service.security;

import io.streamfold.service.config.ConfigException;
import io.streamfold.service.config.Env;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authentication and rate-limit settings, from environment variables.
 *
 * @param apiKeys principal per SHA-256 digest (hex) of its key
 * @param hmacSecret the HS256 secret, or null
 * @param rsaKey the RS256 public key, or null
 * @param issuer the required {@code iss} of tokens
 * @param audience the required {@code aud} of tokens
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param readScope the scope a token needs to read
 * @param writeScope the scope a token needs to send commands
 * @param ratePerSecond requests per second per principal and instance; 0 turns limits off
 * @param burst the bucket size: how many requests may come at once
 * @param authFailureBurst failed authentications one client address may make at once; beyond them,
 *     every request from it is answered 429 until its bucket refills
 * @param authFailuresPerMinute how fast an address's failure bucket refills
 * @param forwardScheme {@code http} or {@code https}: how an instance calls another (forwarded
 *     reads and commands, scatter-gather), carrying the caller's credentials
 */
public record SecuritySettings(
    Map<String, Principal> apiKeys,
    byte[] hmacSecret,
    RSAPublicKey rsaKey,
    String issuer,
    String audience,
    Duration clockSkew,
    String readScope,
    String writeScope,
    int ratePerSecond,
    int burst,
    int authFailureBurst,
    int authFailuresPerMinute,
    String forwardScheme) {

  static final int MIN_API_KEY_LENGTH = 16;
  static final int MIN_HMAC_SECRET_BYTES = 32;

  /** Nothing configured: anonymous access, no limits. */
  public static SecuritySettings off() {
    return new SecuritySettings(
        Map.of(), null, null, null, null, Duration.ZERO, "", "", 0, 0, 20, 60, "http");
  }

  /** Says what is configured, never the keys or secrets themselves. */
  @Override
  public String toString() {
    return "SecuritySettings[apiKeys="
        + apiKeys.size()
        + ", hs256="
        + (hmacSecret != null)
        + ", rs256="
        + (rsaKey != null)
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + ", ratePerSecond="
        + ratePerSecond
        + ", burst="
        + burst
        + "]";
  }

  public boolean authenticationRequired() {
    return !apiKeys.isEmpty() || jwtEnabled();
  }

  public boolean jwtEnabled() {
    return hmacSecret != null || rsaKey != null;
  }

  public static SecuritySettings fromEnv(Env env) {
    Map<String, Principal> keys = apiKeys(env.string("AUTH_API_KEYS", null));
    String secret = env.string("AUTH_JWT_HS256_SECRET", null);
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
      throw new ConfigException(
          "AUTH_JWT_HS256_SECRET", "must be at least " + MIN_HMAC_SECRET_BYTES + " bytes long");
    }
    RSAPublicKey rsa = rsaKey(env.string("AUTH_JWT_RS256_PUBLIC_KEY", null));
    boolean jwt = secret != null || rsa != null;
    String issuer = env.string("AUTH_JWT_ISSUER", null);
    String audience = env.string("AUTH_JWT_AUDIENCE", null);
    if (jwt && (issuer == null || audience == null)) {
      throw new ConfigException(
          issuer == null ? "AUTH_JWT_ISSUER" : "AUTH_JWT_AUDIENCE",
          "is required when a JWT key is configured: tokens are only accepted for this issuer and"
              + " audience");
    }
    int rate = env.integer("RATE_LIMIT_PER_SECOND", 0, 0, 1_000_000);
    return new SecuritySettings(
        keys,
        secret == null ? null : secret.getBytes(StandardCharsets.UTF_8),
        rsa,
        issuer,
        audience,
        env.duration("AUTH_JWT_CLOCK_SKEW", Duration.ofSeconds(30)),
        env.string("AUTH_READ_SCOPE", "streamfold:read"),
        env.string("AUTH_WRITE_SCOPE", "streamfold:write"),
        rate,
        env.integer("RATE_LIMIT_BURST", Math.max(1, rate * 2), 1, 10_000_000),
        env.integer("AUTH_FAILURE_BURST", 20, 1, 1_000_000),
        env.integer("AUTH_FAILURES_PER_MINUTE", 60, 1, 60_000_000),
        forwardScheme(env));
  }

  private static String forwardScheme(Env env) {
    String scheme = env.string("FORWARD_SCHEME", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException("FORWARD_SCHEME", "must be http or https, not '" + scheme + "'");
    }
    return scheme;
  }

  /** {@code principal:key[:read|write|read+write]}, comma-separated; the default is read+write. */
  private static Map<String, Principal> apiKeys(String value) {
    Map<String, Principal> keys = new LinkedHashMap<>();
    if (value == null) {
      return keys;
    }
    String[] entries = value.split(",");
    for (int i = 0; i < entries.length; i++) {
      String[] parts = entries[i].trim().split(":");
      String where = "entry " + (i + 1);
      if (parts.length < 2 || parts.length > 3 || parts[0].isBlank()) {
        throw new ConfigException(
            "AUTH_API_KEYS", where + " must be principal:key or principal:key:permissions");
      }
      if (parts[1].length() < MIN_API_KEY_LENGTH) {
        throw new ConfigException(
            "AUTH_API_KEYS",
            where + " has a key shorter than " + MIN_API_KEY_LENGTH + " characters");
      }
      String permissions = parts.length == 3 ? parts[2] : "read+write";
      boolean read = permissions.contains("read");
      boolean write = permissions.contains("write");
      if (!permissions.matches("read|write|read\\+write|write\\+read")) {
        throw new ConfigException(
            "AUTH_API_KEYS", where + " has permissions other than read, write or read+write");
      }
      if (keys.put(ApiKeys.digest(parts[1]), new Principal(parts[0].trim(), "api-key", read, write))
          != null) {
        throw new ConfigException("AUTH_API_KEYS", where + " repeats a key");
      }
    }
    return keys;
  }

  private static RSAPublicKey rsaKey(String pem) {
    if (pem == null) {
      return null;
    }
    try {
      String base64 =
          pem.replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException
        | ClassCastException
        | java.security.GeneralSecurityException e) {
      throw new ConfigException(
          "AUTH_JWT_RS256_PUBLIC_KEY", "must be an RSA public key in PEM (BEGIN PUBLIC KEY) form");
    }
  }
}
