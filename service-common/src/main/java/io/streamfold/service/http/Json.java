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

  /** Makes Javalin's {@code ctx.json(…)} use this mapper. */
  public static void install(io.javalin.config.JavalinConfig config) {
    config.jsonMapper(new io.javalin.json.JavalinJackson(MAPPER, false));
  }

  /** The shared, configured mapper (thread-safe; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
