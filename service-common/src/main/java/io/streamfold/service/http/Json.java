package io.streamfold.service.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The JSON mapper of both services: ISO-8601 times, decimals written as exact strings ({@code
 * "12.50"}) and read without floating point, unknown fields refused.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new SimpleModule().addSerializer(BigDecimal.class, new PlainDecimal()))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  private static final class PlainDecimal extends JsonSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      out.writeString(value.toPlainString());
    }
  }

  /** The content types of our answers, which Javalin may compress (gzip, from 1,500 bytes). */
  static final java.util.List<String> COMPRESSIBLE =
      java.util.List.of("application/json", Problem.CONTENT_TYPE);

  /**
   * Makes Javalin's {@code ctx.json(…)} use this mapper, and names the JSON types as compressible.
   *
   * <p>Before it writes an answer Javalin asks whether its type may be compressed: an exact match
   * in the allowed types, else ten case-insensitive substring searches through the excluded ones
   * (images, archives), 2% of a read's Jetty thread in the profile of {@code
   * bench/profiles/2026-12-03-read-threads/}. Allowed by name, a JSON answer takes the exact match;
   * what is compressed, and when, is what Javalin's default gzip strategy does.
   */
  public static void install(io.javalin.config.JavalinConfig config) {
    config.jsonMapper(new io.javalin.json.JavalinJackson(MAPPER, false));
    io.javalin.compression.CompressionStrategy compression =
        new io.javalin.compression.CompressionStrategy(null, new io.javalin.compression.Gzip());
    java.util.List<String> allowed = new java.util.ArrayList<>(compression.getAllowedMimeTypes());
    allowed.addAll(COMPRESSIBLE);
    compression.setAllowedMimeTypes(allowed);
    config.http.compressionStrategy = compression;
  }

  /**
   * {@code value} as JSON bytes, for a body written without Javalin's {@code ctx.json} (kept, or
   * sent on a stream); a value of maps, lists, strings, numbers and times always is.
   */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Not writable as JSON: " + e.getMessage(), e);
    }
  }

  /** The shared, configured mapper (thread-safe; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
