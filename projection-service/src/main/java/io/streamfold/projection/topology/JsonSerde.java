package io.streamfold.projection.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.service.http.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the projections' own store values and repartition records: they are derived and
 * rebuildable, so they need no registry, and they stay readable when inspected.
 */
public final class JsonSerde<T> implements Serde<T> {
  private static final ObjectMapper MAPPER = Json.mapper();
  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException("Cannot write " + type.getSimpleName(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try {
        return MAPPER.readValue(data, type);
      } catch (IOException e) {
        throw new SerializationException("Cannot read " + type.getSimpleName(), e);
      }
    };
  }
}
