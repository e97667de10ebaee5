package io.streamfold.examples.counter;

import io.streamfold.examples.counter.avro.CounterEvent;
import io.streamfold.examples.counter.avro.Incremented;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The count as the projection service serves it: {@code GET /api/v1/counters/{id}}; and over all
 * counters, how many there are and the sum of their counts: {@code GET
 * /api/v1/totals/counters/all}.
 */
public final class CounterViews implements ViewProjection<CounterEvent, Long> {
  @Override
  public String store() {
    return "counter-views";
  }

  @Override
  public String collection() {
    return "counters";
  }

  @Override
  public Function<byte[], CounterEvent> decoder(SchemaRegistry registry) {
    return AvroSerde.of(CounterEvent.class, registry, false)::decode;
  }

  @Override
  public String key(CounterEvent event) {
    return event.getCounterId();
  }

  @Override
  public long version(CounterEvent event) {
    return event.getVersion();
  }

  @Override
  public Long apply(Long count, CounterEvent event) {
    return event.getPayload() instanceof Incremented i
        ? (count == null ? 0 : count) + i.getBy()
        : 0L;
  }

  @Override
  public List<Total<Long>> totals() {
    return List.of(
        new Total<>("all", count -> "counters", count -> Map.of("sum", BigDecimal.valueOf(count))));
  }

  @Override
  public byte[] write(Long count) {
    return ByteBuffer.allocate(Long.BYTES).putLong(count).array();
  }

  @Override
  public Long read(byte[] stored) {
    return ByteBuffer.wrap(stored).getLong();
  }

  @Override
  public Map<String, Object> render(String id, Long count) {
    return Map.of("id", id, "count", count);
  }
}
