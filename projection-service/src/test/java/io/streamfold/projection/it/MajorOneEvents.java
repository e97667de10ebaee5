package io.streamfold.projection.it;

import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.upcast.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Account events as the previous release wrote them: {@code AccountEvent} major 1, amounts as
 * decimal(18,2), in the Confluent wire format under a schema id of the caller's registry.
 */
public final class MajorOneEvents {
  public static final Schema V1 =
      SchemaHistory.fromClasspath().latestOfMajor(AccountEvent.getClassSchema().getFullName(), 1);

  private MajorOneEvents() {}

  /** A payload: {@code AccountOpened} (owner, currency, initial deposit), else an amount. */
  public static GenericRecord payload(String type, String... values) {
    GenericRecord payload =
        new GenericData.Record(
            V1.getField("payload").schema().getTypes().stream()
                .filter(branch -> branch.getName().equals(type))
                .findFirst()
                .orElseThrow());
    if (type.equals("AccountOpened")) {
      payload.put("owner", values[0]);
      payload.put("currency", values[1]);
      payload.put("initialDeposit", decimal2(values[2]));
    } else {
      payload.put("amount", decimal2(values[0]));
    }
    return payload;
  }

  /** The envelope of an account's {@code version}, its time a second per version after Nov 1. */
  public static GenericRecord event(String account, long version, GenericRecord payload) {
    GenericRecord event = new GenericData.Record(V1);
    event.put("eventId", account + "-old-" + version + "-0");
    event.put("aggregateType", "account");
    event.put("aggregateId", account);
    event.put("version", version);
    event.put("occurredAt", Instant.parse("2026-11-01T10:00:00Z").plusSeconds(version));
    event.put("commandId", account + "-old-" + version);
    event.put("correlationId", account + "-old-" + version);
    event.put("principal", null);
    event.put("payload", payload);
    return event;
  }

  /** Amounts as major 1 wrote them: the unscaled value of a decimal(18,2). */
  private static ByteBuffer decimal2(String amount) {
    return ByteBuffer.wrap(new BigDecimal(amount).setScale(2).unscaledValue().toByteArray());
  }

  /** The Confluent wire format the previous release wrote. */
  public static byte[] wire(int schemaId, GenericRecord event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    GenericRecord withMillis = new GenericData.Record(V1);
    for (Schema.Field field : V1.getFields()) {
      Object value = event.get(field.pos());
      withMillis.put(field.pos(), value instanceof Instant time ? time.toEpochMilli() : value);
    }
    new GenericDatumWriter<GenericRecord>(V1).write(withMillis, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
