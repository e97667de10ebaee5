package io.streamfold.service.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Mints tokens the way an identity provider would, for tests. */
public final class Tokens {
  public static final String ISSUER = "https://id.example.test";
  public static final String AUDIENCE = "streamfold";
  public static final String HS256_SECRET = "0123456789abcdef0123456789abcdef-test-secret";

  private Tokens() {}

  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Claims valid for an hour, for {@code subject} with {@code scope}. */
  public static JWTClaimsSet.Builder claims(String subject, String scope) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .claim("scope", scope)
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
  }

  public static String hs256(String subject, String scope) {
    return hs256(claims(subject, scope).build(), HS256_SECRET);
  }

  public static String hs256(JWTClaimsSet claims, String secret) {
    return sign(JWSAlgorithm.HS256, claims, macSigner(secret.getBytes(StandardCharsets.UTF_8)));
  }

  public static String rs256(KeyPair pair, UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(
        JWSAlgorithm.RS256,
        change.apply(claims("carol", "streamfold:read streamfold:write")).build(),
        new RSASSASigner(pair.getPrivate()));
  }

  public static JWSSigner macSigner(byte[] secret) {
    try {
      return new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(JWSAlgorithm algorithm, JWTClaimsSet claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
