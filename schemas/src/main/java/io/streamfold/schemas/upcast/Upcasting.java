package io.streamfold.schemas.upcast;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The upcasters of every schema, found with {@link ServiceLoader}, and the reading of a record of
 * an older major version as the current one: Avro resolves the writer's schema to the latest schema
 * of its own major (from the {@link SchemaHistory}), then each upcaster of the chain takes it one
 * major further.
 *
 * <p>How majors map to registry subjects: each major of a schema is registered under a subject of
 * its own ({@link #subject}), so the registry enforces compatibility within a major (Avro resolves
 * every change there), and the build gate enforces the upcaster chain across majors.
 */
public final class Upcasting {
  /** The schema property that names a schema's major version; absent means 1. */
  public static final String MAJOR = "streamfold.major";

  /** Generic data with decimals as BigDecimal and timestamps as Instant, for upcasters. */
  public static final GenericData DATA = data();

  private final Map<String, Upcaster> upcasters;
  private final SchemaHistory history;

  private Upcasting(Map<String, Upcaster> upcasters, SchemaHistory history) {
    this.upcasters = upcasters;
    this.history = history;
  }

  /** The upcasters on the class path of this class, with the history packaged beside them. */
  public static Upcasting load() {
    return load(Upcasting.class.getClassLoader(), SchemaHistory.fromClasspath());
  }

  public static Upcasting load(ClassLoader loader, SchemaHistory history) {
    Map<String, Upcaster> found = new HashMap<>();
    for (Upcaster upcaster : ServiceLoader.load(Upcaster.class, loader)) {
      Upcaster previous = found.put(key(upcaster.schema(), upcaster.from()), upcaster);
      if (previous != null) {
        throw new IllegalStateException(
            "Two upcasters of "
                + upcaster.schema()
                + " from major "
                + upcaster.from()
                + ": "
                + previous.getClass().getName()
                + " and "
                + upcaster.getClass().getName());
      }
    }
    return new Upcasting(Map.copyOf(found), history);
  }

  /** Exactly these upcasters (tests). */
  static Upcasting of(List<Upcaster> upcasters, SchemaHistory history) {
    Map<String, Upcaster> found = new HashMap<>();
    upcasters.forEach(u -> found.put(key(u.schema(), u.from()), u));
    return new Upcasting(Map.copyOf(found), history);
  }

  /** A schema's major version ({@value #MAJOR}, 1 when absent). */
  public static int major(Schema schema) {
    Object major = schema.getObjectProp(MAJOR);
    if (major == null) {
      return 1;
    }
    if (major instanceof Number number && number.intValue() >= 1) {
      return number.intValue();
    }
    throw new IllegalArgumentException(
        schema.getFullName() + " has an invalid " + MAJOR + ": " + major);
  }

  /** The registry subject of a schema's major: {@code base} for major 1, else {@code base-vN}. */
  public static String subject(String base, Schema schema) {
    int major = major(schema);
    return major == 1 ? base : base + "-v" + major;
  }

  public Upcaster find(String schema, int from) {
    return upcasters.get(key(schema, from));
  }

  public SchemaHistory history() {
    return history;
  }

  /**
   * Reads Avro binary written with {@code writer} (of an older major) through the chain of
   * upcasters, up to the first version of major {@code to}; the caller resolves that to the version
   * it reads.
   *
   * @throws IllegalStateException when a link of the chain or the history is missing
   */
  public GenericRecord read(Schema writer, Decoder in, String name, int to) throws IOException {
    int from = major(writer);
    Schema source = history.latestOfMajor(name, from);
    GenericRecord record =
        new GenericDatumReader<GenericRecord>(writer, source, DATA).read(null, in);
    for (int major = from; major < to; major++) {
      Upcaster upcaster = find(name, major);
      if (upcaster == null) {
        throw new IllegalStateException(
            "No upcaster of " + name + " from major " + major + " to " + (major + 1));
      }
      record = upcaster.upcast(record, history.firstOfMajor(name, major + 1));
    }
    return record;
  }

  /** Avro binary of a record of {@link #DATA}. */
  public static byte[] write(GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema(), DATA).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Runs the examples of the upcaster of {@code schema} from {@code from}; returns what failed,
   * each a sentence (empty when all pass).
   */
  public List<String> verify(String schema, int from, Schema source, Schema target) {
    List<String> failures = new ArrayList<>();
    Upcaster upcaster = find(schema, from);
    if (upcaster == null) {
      failures.add(
          schema
              + ": major "
              + from
              + " cannot be read as major "
              + (from + 1)
              + " and no upcaster does it; write an "
              + Upcaster.class.getName()
              + " from major "
              + from
              + " and list it in META-INF/services/"
              + Upcaster.class.getName());
      return failures;
    }
    List<Upcaster.Example> examples = upcaster.examples(source, target);
    if (examples.isEmpty()) {
      failures.add(upcaster.getClass().getName() + " has no examples: give it at least one");
    }
    for (Upcaster.Example example : examples) {
      String what = upcaster.getClass().getName() + ", example \"" + example.name() + "\"";
      if (!example.given().getSchema().equals(source) || !writable(example.given())) {
        failures.add(what + ": the given record is not a record of major " + from);
        continue;
      }
      GenericRecord result;
      try {
        result = upcaster.upcast(example.given(), target);
      } catch (RuntimeException e) {
        failures.add(what + ": failed with " + e);
        continue;
      }
      if (!result.getSchema().equals(target) || !writable(result)) {
        failures.add(what + ": the result is not a valid record of major " + (from + 1));
      } else if (!writable(example.then())
          || !Arrays.equals(write(result), write(example.then()))) {
        failures.add(what + ": expected " + example.then() + " but got " + result);
      }
    }
    return failures;
  }

  private static boolean writable(GenericRecord record) {
    try {
      write(record);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String key(String schema, int from) {
    return schema + "#" + from;
  }

  private static GenericData data() {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(new Conversions.DecimalConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    data.addLogicalTypeConversion(new Conversions.UUIDConversion());
    return data;
  }
}
