package io.streamfold.projection.events;

import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.WireFormat;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Decodes an event in the registry's wire format with its writer's schema, as a generic record
 * (decimals, times and dates as their Java types): a plugged-in collection's events when its
 * plug-in does not read them as Avro records itself ({@link PluginEvents}). Each schema is fetched
 * from the registry once. Bytes that are not an event (no wire-format header, or a body its schema
 * cannot read) throw {@link org.apache.kafka.common.errors.SerializationException}.
 */
public final class GenericEvents {
  private static final GenericData DATA = new GenericData();

  static {
    DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
    DATA.addLogicalTypeConversion(new Conversions.UUIDConversion());
    DATA.addLogicalTypeConversion(new TimeConversions.DateConversion());
    DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    DATA.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
  }

  private final SchemaRegistry registry;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();

  public GenericEvents(SchemaRegistry registry) {
    this.registry = registry;
  }

  /**
   * The event in {@code data}.
   *
   * @throws io.streamfold.schemas.registry.RegistryUnavailableException when its schema is not
   *     known here yet and the registry cannot be used
   */
  public GenericRecord decode(byte[] data) {
    GenericDatumReader<GenericRecord> reader;
    try {
      reader =
          readers.computeIfAbsent(
              WireFormat.schemaId(data),
              id -> {
                var schema = registry.schemaById(id);
                return new GenericDatumReader<>(schema, schema, DATA);
              });
    } catch (io.streamfold.schemas.registry.SchemaNotFoundException e) {
      throw new org.apache.kafka.common.errors.SerializationException(e.getMessage(), e);
    }
    try {
      return reader.read(null, WireFormat.body(data));
    } catch (IOException | org.apache.avro.AvroRuntimeException e) {
      throw new org.apache.kafka.common.errors.SerializationException(
          "An event that its own schema (id " + WireFormat.schemaId(data) + ") cannot read: " + e,
          e);
    }
  }
}
