package io.streamfold.projection.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

/**
 * An event envelope as JSON, for the event APIs. The envelope is the Avro record on an events
 * topic, already decoded with its writer's schema resolved to this service's (so an event written
 * by an older producer, or with an older major version through its upcasters, reads as the current
 * contract describes it): {@code eventId}, {@code aggregateId}, {@code version}, {@code occurredAt}
 * and the {@code payload} union are its fields by convention; the payload's record name is the
 * event's {@code type}, its fields the {@code data}; every other field but {@code aggregateType}
 * goes into {@code metadata}.
 *
 * <p>Values follow the services' JSON conventions: decimals as exact strings with at least two
 * decimals and no trailing zeros beyond ({@code "12.50"}, {@code "1.005"}), times as ISO-8601,
 * bytes as base64, unions as the value of their branch.
 */
public final class EventJson {
  private static final JsonFactory FACTORY = Json.mapper().getFactory();
  private static final Set<String> ENVELOPE =
      Set.of("eventId", "aggregateType", "aggregateId", "version", "occurredAt", "payload");
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private EventJson() {}

  /** The event's type: its payload's record name. */
  static String type(IndexedRecord event) {
    if (event.getSchema().getField("payload") == null) {
      return "unknown";
    }
    Object payload = event.get(event.getSchema().getField("payload").pos());
    return payload instanceof GenericContainer record ? record.getSchema().getName() : "unknown";
  }

  /**
   * The event as one line of JSON; with {@code collection} non-null, it also carries {@code
   * collection} and {@code aggregateId} (a subscription's events come from many streams).
   */
  static byte[] render(String collection, IndexedRecord event, PersonalData personal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
      write(out, collection, event, personal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @param personal opens the personal fields (marked {@code "pii": true}) for the subject their
   *     record names (the field marked {@code "subject": true}): the plain value, or null with
   *     {@code <field>Erased: true} once the subject is forgotten
   */
  public static void write(
      JsonGenerator out, String collection, IndexedRecord event, PersonalData personal)
      throws IOException {
    Schema schema = event.getSchema();
    out.writeStartObject();
    if (collection != null) {
      out.writeStringField("collection", collection);
      envelope(out, event, "aggregateId", personal);
    }
    envelope(out, event, "eventId", personal);
    out.writeStringField("type", type(event));
    envelope(out, event, "version", personal);
    envelope(out, event, "occurredAt", personal);
    out.writeObjectFieldStart("metadata");
    for (Schema.Field f : schema.getFields()) {
      if (!ENVELOPE.contains(f.name())) {
        out.writeFieldName(f.name());
        value(out, f.schema(), event.get(f.pos()), personal);
      }
    }
    out.writeEndObject();
    out.writeFieldName("data");
    if (schema.getField("payload") == null) {
      out.writeNull(); // a plug-in's envelope without the conventional payload union
    } else {
      value(out, schema.getField("payload").schema(), field(event, "payload"), personal);
    }
    out.writeEndObject();
  }

  /** An envelope field by convention, when the event's schema has it (a plug-in's may not). */
  private static void envelope(
      JsonGenerator out, IndexedRecord event, String name, PersonalData personal)
      throws IOException {
    Schema.Field f = event.getSchema().getField(name);
    if (f != null) {
      out.writeFieldName(name);
      value(out, f.schema(), event.get(f.pos()), personal);
    }
  }

  /** A personal field, opened: its value, or null and why. */
  private static void personal(
      JsonGenerator out, String name, Object stored, String subject, PersonalData personal)
      throws IOException {
    Map<String, Object> shown = new LinkedHashMap<>(4);
    new OpenedPersonalFields(personal)
        .put(shown, name, subject, stored == null ? null : stored.toString());
    for (Map.Entry<String, Object> field : shown.entrySet()) {
      if (field.getValue() instanceof Boolean flag) {
        out.writeBooleanField(field.getKey(), flag);
      } else {
        out.writeStringField(field.getKey(), (String) field.getValue());
      }
    }
  }

  /** The value of the record's field marked {@code "subject": true}, or null. */
  private static String subject(IndexedRecord record) {
    for (Schema.Field f : record.getSchema().getFields()) {
      if (Boolean.TRUE.equals(f.getObjectProp("subject"))) {
        Object value = record.get(f.pos());
        return value == null ? null : value.toString();
      }
    }
    return null;
  }

  private static Object field(IndexedRecord record, String name) {
    return record.get(record.getSchema().getField(name).pos());
  }

  private static void value(JsonGenerator out, Schema schema, Object value, PersonalData personal)
      throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    switch (schema.getType()) {
      case UNION -> value(out, branch(schema, value), value, personal);
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) value;
        out.writeStartObject();
        for (Schema.Field f : record.getSchema().getFields()) {
          if (Boolean.TRUE.equals(f.getObjectProp("pii"))) {
            personal(out, f.name(), record.get(f.pos()), subject(record), personal);
            continue;
          }
          out.writeFieldName(f.name());
          value(out, f.schema(), record.get(f.pos()), personal);
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (Object element : (Collection<?>) value) {
          value(out, schema.getElementType(), element, personal);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          value(out, schema.getValueType(), entry.getValue(), personal);
        }
        out.writeEndObject();
      }
      case BYTES, FIXED -> {
        if (value instanceof BigDecimal decimal) {
          out.writeString(Amounts.normalize(decimal).toPlainString());
        } else if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
          ByteBuffer buffer =
              value instanceof ByteBuffer b
                  ? b.duplicate()
                  : ByteBuffer.wrap(((org.apache.avro.generic.GenericFixed) value).bytes());
          out.writeString(
              Amounts.normalize(DECIMALS.fromBytes(buffer, schema, schema.getLogicalType()))
                  .toPlainString());
        } else {
          byte[] raw =
              value instanceof ByteBuffer b
                  ? toBytes(b)
                  : ((org.apache.avro.generic.GenericFixed) value).bytes();
          out.writeString(Base64.getEncoder().encodeToString(raw));
        }
      }
      case INT, LONG -> {
        if (value instanceof TemporalAccessor time) {
          out.writeString(time.toString());
        } else {
          out.writeNumber(((Number) value).longValue());
        }
      }
      case FLOAT, DOUBLE -> out.writeNumber(((Number) value).doubleValue());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case NULL -> out.writeNull();
      default -> out.writeString(value.toString()); // STRING, ENUM
    }
  }

  private static byte[] toBytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] raw = new byte[copy.remaining()];
    copy.get(raw);
    return raw;
  }

  /** The branch of {@code union} that {@code value} belongs to. */
  private static Schema branch(Schema union, Object value) {
    for (Schema branch : union.getTypes()) {
      if (matches(branch, value)) {
        return branch;
      }
    }
    throw new IllegalArgumentException(
        "A " + value.getClass().getName() + " is in no branch of " + union);
  }

  private static boolean matches(Schema branch, Object value) {
    return switch (branch.getType()) {
      case NULL -> false;
      case RECORD, ENUM, FIXED ->
          value instanceof GenericContainer c
              && c.getSchema().getFullName().equals(branch.getFullName());
      case STRING -> value instanceof CharSequence;
      case BYTES -> value instanceof ByteBuffer || value instanceof BigDecimal;
      case INT -> value instanceof Integer || value instanceof java.time.LocalDate;
      case LONG -> value instanceof Long || value instanceof TemporalAccessor;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case ARRAY -> value instanceof Collection;
      case MAP -> value instanceof Map;
      default -> false;
    };
  }
}
