package io.streamfold.command.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * What makes two requests under one {@code Idempotency-Key} the same request: the action, the body
 * as JSON with its members in key order (so neither spacing nor member order counts) and the
 * precondition headers, digested with SHA-256.
 *
 * <p>The body is written straight from the parsed tree, members sorted, in the bytes Jackson writes
 * for the same values as maps with {@code ORDER_MAP_ENTRIES_BY_KEYS}: the fingerprints of requests
 * remembered by earlier releases stay valid.
 */
final class Fingerprint {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("No SHA-256 in this JVM", e);
            }
          });

  private Fingerprint() {}

  static String of(Context ctx, String action, JsonNode body) {
    return of(action, body, ctx.header("If-Match"), ctx.header("If-None-Match"));
  }

  static String of(String action, JsonNode body, String ifMatch, String ifNoneMatch) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    update(sha, action);
    sha.update(canonical(body));
    sha.update((byte) 0);
    update(sha, String.valueOf(ifMatch));
    update(sha, String.valueOf(ifNoneMatch));
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The body as JSON, object members in key order at every depth. */
  static byte[] canonical(JsonNode body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      write(json, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator json, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(null);
        json.writeStartObject();
        for (String name : names) {
          json.writeFieldName(name);
          write(json, node.get(name));
        }
        json.writeEndObject();
      }
      case ARRAY -> {
        json.writeStartArray();
        for (JsonNode element : node) {
          write(json, element);
        }
        json.writeEndArray();
      }
      case STRING -> json.writeString(node.textValue());
      case NUMBER -> writeNumber(json, node);
      case BOOLEAN -> json.writeBoolean(node.booleanValue());
      case NULL, MISSING -> json.writeNull();
      default -> json.writeString(node.asText()); // binary and POJO nodes: not from a parser
    }
  }

  private static void writeNumber(JsonGenerator json, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT -> json.writeNumber(node.intValue());
      case LONG -> json.writeNumber(node.longValue());
      case BIG_INTEGER -> json.writeNumber(node.bigIntegerValue());
      case FLOAT -> json.writeNumber(node.floatValue());
      case DOUBLE -> json.writeNumber(node.doubleValue());
      case BIG_DECIMAL -> json.writeNumber(node.decimalValue());
    }
  }

  private static void update(MessageDigest sha, String part) {
    sha.update(part.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }
}
