package io.streamfold.schemas.upcast;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a record of one major version of a schema into a record of the next: the change that Avro's
 * schema resolution cannot express (a field split in two, a change of meaning). Within a major
 * version every change is one that Avro resolves (the build gate checks it); across majors the
 * chain of upcasters does, on read, wherever the events are read.
 *
 * <p>Records come and go as {@link GenericRecord}s of {@link Upcasting#DATA}: decimals are {@link
 * java.math.BigDecimal}s, timestamps {@link java.time.Instant}s. Implementations are pure and
 * registered in {@code META-INF/services/io.streamfold.schemas.upcast.Upcaster}.
 */
public interface Upcaster {
  /** The full name of the schema it upcasts. */
  String schema();

  /** The major version it reads; it writes {@code from() + 1}. */
  int from();

  /**
   * @param record a record of major {@link #from()}, in the latest schema of that major
   * @param target the schema to write: the first of major {@code from() + 1} (Avro resolves it to
   *     the later versions of that major)
   */
  GenericRecord upcast(GenericRecord record, Schema target);

  /**
   * Given/then examples that the build gate runs: the major cannot change without an upcaster whose
   * examples pass. At least one.
   *
   * @param source the latest schema of major {@link #from()}
   * @param target the first schema of the next major
   */
  List<Example> examples(Schema source, Schema target);

  /** A record of the old major, and what it must become. */
  record Example(String name, GenericRecord given, GenericRecord then) {}
}
