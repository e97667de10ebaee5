package io.streamfold.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.streamfold.service.config.ConfigException;
import io.streamfold.service.config.Env;
import io.streamfold.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  static final KeyPair RSA = Tokens.rsaKeyPair();
  static final String ALICE_KEY = "alice-key-0123456789";
  static final String READER_KEY = "reader-key-0123456789";

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AUTH_API_KEYS", "alice:" + ALICE_KEY + ",reporter:" + READER_KEY + ":read");
    env.put("AUTH_JWT_HS256_SECRET", Tokens.HS256_SECRET);
    env.put("AUTH_JWT_RS256_PUBLIC_KEY", Tokens.pem(RSA));
    env.put("AUTH_JWT_ISSUER", Tokens.ISSUER);
    env.put("AUTH_JWT_AUDIENCE", Tokens.AUDIENCE);
    return env;
  }

  final Authenticator authenticator = new Authenticator(SecuritySettings.fromEnv(new Env(env())));

  Principal bearer(String token) {
    return authenticator.authenticate("Bearer " + token, null);
  }

  @Test
  void shouldAcceptApiKeysInEitherHeaderWithTheirPermissions() {
    assertThat(authenticator.authenticate(null, ALICE_KEY))
        .isEqualTo(new Principal("alice", "api-key", true, true));
    assertThat(authenticator.authenticate("ApiKey " + READER_KEY, null))
        .isEqualTo(new Principal("reporter", "api-key", true, false));
  }

  @Test
  void shouldAcceptHs256AndRs256TokensWithScopes() {
    assertThat(bearer(Tokens.hs256("bob", "streamfold:read")))
        .isEqualTo(new Principal("bob", "jwt", true, false));
    assertThat(bearer(Tokens.rs256(RSA, c -> c)))
        .isEqualTo(new Principal("carol", "jwt", true, true));
    assertThat(
            bearer(
                Tokens.rs256(
                    RSA,
                    c ->
                        c.claim("scope", null)
                            .claim("scp", java.util.List.of("streamfold:write")))))
        .isEqualTo(new Principal("carol", "jwt", true, true));
    assertThat(bearer(Tokens.hs256("dave", "profile")))
        .isEqualTo(new Principal("dave", "jwt", false, false));
  }

  @Test
  void shouldRefuseMissingAndUnknownCredentials() {
    assertUnauthorized(() -> authenticator.authenticate(null, null), "unauthenticated");
    assertUnauthorized(
        () -> authenticator.authenticate(null, "not-a-key-0123456789"), "invalid-credentials");
    assertUnauthorized(
        () -> authenticator.authenticate("Basic YTpi", null), "unsupported-credentials");
    assertUnauthorized(() -> bearer("not.a.jwt"), "invalid-token");
  }

  @Test
  void shouldRefuseTokensWithWrongClaims() {
    assertRefused(
        Tokens.rs256(RSA, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))),
        "expired");
    assertRefused(Tokens.rs256(RSA, c -> c.audience("someone-else")), "wrong-audience");
    assertRefused(Tokens.rs256(RSA, c -> c.issuer("https://evil.test")), "wrong-issuer");
    assertRefused(Tokens.rs256(RSA, c -> c.expirationTime(null)), "missing-claim");
    assertRefused(Tokens.rs256(RSA, c -> c.subject(null)), "missing-claim");
    assertRefused(
        Tokens.rs256(RSA, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))),
        "not-yet-valid");
    assertThat(
            bearer(
                Tokens.rs256(
                    RSA, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(10))))))
        .as("expired 10 s ago, within the 30 s clock skew")
        .extracting(Principal::name)
        .isEqualTo("carol");
  }

  @Test
  void shouldRefuseForgedTokens() {
    String other = "another-secret-that-is-long-enough-0123456789";
    assertRefused(
        Tokens.hs256(Tokens.claims("bob", "streamfold:write").build(), other), "bad-signature");
    assertRefused(
        Tokens.sign(
            JWSAlgorithm.HS384,
            Tokens.claims("bob", "streamfold:write").build(),
            Tokens.macSigner(
                (Tokens.HS256_SECRET + Tokens.HS256_SECRET).getBytes(StandardCharsets.UTF_8))),
        "unsupported-algorithm");
    // The classic confusion: HS256 "signed" with the RSA public key as the HMAC secret.
    String confused =
        Tokens.sign(
            JWSAlgorithm.HS256,
            Tokens.claims("mallory", "streamfold:write").build(),
            Tokens.macSigner(Tokens.pem(RSA).getBytes(StandardCharsets.UTF_8)));
    assertRefused(confused, "bad-signature");
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String valid = Tokens.rs256(RSA, c -> c);
    String unsigned = header + "." + valid.split("\\.")[1] + ".";
    assertUnauthorized(() -> bearer(unsigned), "invalid-token");
    String tampered =
        valid.substring(0, valid.lastIndexOf('.') - 2)
            + "xx"
            + valid.substring(valid.lastIndexOf('.'));
    assertUnauthorized(() -> bearer(tampered), "invalid-token");
  }

  @Test
  void shouldRefuseTokensWhenOnlyApiKeysAreConfigured() {
    Authenticator keysOnly =
        new Authenticator(
            SecuritySettings.fromEnv(new Env(Map.of("AUTH_API_KEYS", "a:" + ALICE_KEY))));
    assertUnauthorized(
        () -> keysOnly.authenticate("Bearer " + Tokens.hs256("bob", "x"), null), "invalid-token");
  }

  @Test
  void shouldRejectWeakOrIncompleteSettingsWithoutEchoingSecrets() {
    Map<String, String> weak = env();
    weak.put("AUTH_JWT_HS256_SECRET", "short-secret");
    assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(weak)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AUTH_JWT_HS256_SECRET")
        .message()
        .doesNotContain("short-secret");
    Map<String, String> shortKey = Map.of("AUTH_API_KEYS", "alice:tiny-key");
    assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(shortKey)))
        .hasMessageContaining("entry 1")
        .message()
        .doesNotContain("tiny-key");
    Map<String, String> noAudience = env();
    noAudience.remove("AUTH_JWT_AUDIENCE");
    assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(noAudience)))
        .hasMessageContaining("AUTH_JWT_AUDIENCE");
    assertThatThrownBy(
            () ->
                SecuritySettings.fromEnv(
                    new Env(
                        Map.of(
                            "AUTH_JWT_RS256_PUBLIC_KEY",
                            "garbage",
                            "AUTH_JWT_ISSUER",
                            "i",
                            "AUTH_JWT_AUDIENCE",
                            "a"))))
        .hasMessageContaining("PEM");
    assertThat(SecuritySettings.fromEnv(new Env(env())).toString())
        .doesNotContain(ALICE_KEY)
        .doesNotContain(Tokens.HS256_SECRET);
    assertThat(SecuritySettings.fromEnv(new Env(Map.of())).authenticationRequired()).isFalse();
  }

  private void assertRefused(String token, String reason) {
    assertThatThrownBy(() -> bearer(token))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(401);
              assertThat(e.problem().code()).isEqualTo("invalid-token");
              assertThat(e.problem().extensions()).containsEntry("reason", reason);
              assertThat(e.problem().detail()).doesNotContain(token);
            });
  }

  private static void assertUnauthorized(ThrowingCallable call, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(401);
              assertThat(e.problem().code()).isEqualTo(code);
              assertThat(e.headers()).containsKey("WWW-Authenticate");
            });
  }
}
