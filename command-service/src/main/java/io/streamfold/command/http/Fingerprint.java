package io.streamfold.command.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two requests under one {@code Idempotency-Key} the same request: the action, the body
 * as JSON with its members in key order (so neither spacing nor member order counts) and the
 * precondition headers, digested with SHA-256.
 */
final class Fingerprint {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Fingerprint() {}

  static String of(Context ctx, String action, JsonNode body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, action);
      update(sha, CANONICAL.writeValueAsString(CANONICAL.convertValue(body, Object.class)));
      update(sha, String.valueOf(ctx.header("If-Match")));
      update(sha, String.valueOf(ctx.header("If-None-Match")));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("Cannot fingerprint a request", e);
    }
  }

  private static void update(MessageDigest sha, String part) {
    sha.update(part.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }
}
