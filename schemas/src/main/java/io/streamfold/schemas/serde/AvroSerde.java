package io.streamfold.schemas.serde;

import io.streamfold.schemas.registry.SchemaNotFoundException;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.upcast.Upcasting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a generated Avro class in the Confluent wire format.
 *
 * <p>Writing: the subject comes from the {@link SubjectNameStrategy}; with {@code autoRegister} the
 * schema is registered (development), otherwise it must already be registered (production: schemas
 * are registered by the release process and checked by the registry's compatibility level).
 * Reading: the writer's schema is fetched by id and resolved against this class's schema, so data
 * written with an older or newer compatible schema is read; data of an older major version is read
 * through its upcasters ({@link Upcasting}), and data of a newer major is refused. Ids, schemas and
 * resolving readers are cached. Each major version of a schema has a subject of its own ({@link
 * Upcasting#subject}).
 *
 * <p>Malformed data (wrong magic byte, unknown id, bad Avro) raises Kafka's {@link
 * SerializationException}, which a dead-letter handler may route away; an unreachable registry
 * raises {@link io.streamfold.schemas.registry.RegistryUnavailableException}, which must not be.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final Schema schema;
  private final SchemaRegistry registry;
  private final SubjectNameStrategy subjects;
  private final boolean autoRegister;
  private final boolean isKey;
  private final SpecificDatumWriter<T> writer;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSerde(
      Class<T> type,
      SchemaRegistry registry,
      SubjectNameStrategy subjects,
      boolean autoRegister,
      boolean isKey) {
    this.schema = SpecificData.get().getSchema(type);
    this.registry = registry;
    this.subjects = subjects;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
    this.writer = new SpecificDatumWriter<>(schema);
  }

  /** A value serde with the topic-name strategy. */
  public static <T extends SpecificRecord> AvroSerde<T> of(
      Class<T> type, SchemaRegistry registry, boolean autoRegister) {
    return new AvroSerde<>(type, registry, SubjectNameStrategy.TOPIC_NAME, autoRegister, false);
  }

  /** A value serde with the given subject-name strategy. */
  public static <T extends SpecificRecord> AvroSerde<T> of(
      Class<T> type, SchemaRegistry registry, SubjectNameStrategy subjects, boolean autoRegister) {
    return new AvroSerde<>(type, registry, subjects, autoRegister, false);
  }

  public Schema schema() {
    return schema;
  }

  /** Writes {@code value} for {@code topic}: header plus Avro binary. */
  public byte[] encode(String topic, T value) {
    if (value == null) {
      return null;
    }
    int id = schemaIdFor(topic);
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(header, id);
    out.writeBytes(header.array());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Could not write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  private int schemaIdFor(String topic) {
    String subject = Upcasting.subject(subjects.subject(topic, isKey, schema), schema);
    if (autoRegister) {
      return registry.register(subject, schema);
    }
    return registry
        .lookup(subject, schema)
        .orElseThrow(
            () ->
                new SerializationException(
                    "Schema "
                        + schema.getFullName()
                        + " is not registered under subject \""
                        + subject
                        + "\" and auto-registration is off"));
  }

  /** Reads data written in the wire format with any schema compatible with this class's. */
  public T decode(byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    DatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
    try {
      return reader.read(null, WireFormat.body(data));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Could not read " + schema.getFullName() + " written with schema id " + id + ": " + e, e);
    }
  }

  private DatumReader<T> readerFor(int id) {
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(id);
    } catch (SchemaNotFoundException e) {
      throw new SerializationException("Unknown schema id " + id + ": " + e.getMessage(), e);
    }
    int written = Upcasting.major(writerSchema);
    int known = Upcasting.major(schema);
    if (written > known) {
      throw new SerializationException(
          "Schema id "
              + id
              + " is major "
              + written
              + " of "
              + writerSchema.getFullName()
              + ", newer than this reader's "
              + known
              + ": upgrade the readers of an event before its writers");
    }
    if (written < known) {
      return upcasting(writerSchema);
    }
    return new SpecificDatumReader<>(writerSchema, schema);
  }

  /**
   * Reads an older major: Avro resolves the writer's schema to its major's latest, the upcasters
   * take the record to the first version of this class's major, and Avro resolves that to this
   * class.
   */
  private DatumReader<T> upcasting(Schema writerSchema) {
    Upcasting chain = upcasting();
    String name = schema.getFullName();
    int major = Upcasting.major(schema);
    SpecificDatumReader<T> current =
        new SpecificDatumReader<>(chain.history().firstOfMajor(name, major), schema);
    return new DatumReader<>() {
      @Override
      public void setSchema(Schema ignored) {}

      @Override
      public T read(T reuse, Decoder in) throws IOException {
        byte[] upcast = Upcasting.write(chain.read(writerSchema, in, name, major));
        return current.read(null, DecoderFactory.get().binaryDecoder(upcast, null));
      }
    };
  }

  private static volatile Upcasting loaded;

  private static Upcasting upcasting() {
    if (loaded == null) {
      loaded = Upcasting.load();
    }
    return loaded;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> encode(topic, value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> decode(data);
  }
}
