package io.streamfold.schemas.account.upcast;

import io.streamfold.schemas.upcast.Upcaster;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code AccountEvent} major 1 → 2: amounts (the opening deposit, deposits, withdrawals) were
 * decimal(18,2) and are decimal(20,4), so that currencies with three and four minor units (BHD,
 * KWD, CLF, …) are held exactly. Avro cannot resolve one to the other: the two decimals do not
 * match (the specification's rule), and Java's Avro, which ignores logical types when it resolves,
 * would read 12.34 written at scale 2 as 0.1234. The value is the same; only its scale changes.
 */
public final class AccountEventV1ToV2 implements Upcaster {
  @Override
  public String schema() {
    return "io.streamfold.schemas.account.AccountEvent";
  }

  @Override
  public int from() {
    return 1;
  }

  @Override
  public GenericRecord upcast(GenericRecord record, Schema target) {
    return copy(record, target);
  }

  /** Copies by field name, rescaling decimals to the target's scale (exactly: never rounding). */
  private static GenericRecord copy(GenericRecord from, Schema target) {
    GenericRecord to = new GenericData.Record(target);
    for (Schema.Field field : target.getFields()) {
      Schema.Field old = from.getSchema().getField(field.name());
      Object value = old == null ? GenericData.get().getDefaultValue(field) : from.get(old.pos());
      to.put(field.pos(), convert(value, field.schema()));
    }
    return to;
  }

  private static Object convert(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (value instanceof GenericRecord record
            && branch.getType() == Schema.Type.RECORD
            && branch.getFullName().equals(record.getSchema().getFullName())) {
          return copy(record, branch);
        }
        if (value instanceof BigDecimal
            && branch.getLogicalType() instanceof LogicalTypes.Decimal) {
          return convert(value, branch);
        }
      }
      return value;
    }
    if (value instanceof BigDecimal amount
        && schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      return amount.setScale(decimal.getScale()); // exact: a larger scale never rounds
    }
    if (value instanceof GenericRecord record && schema.getType() == Schema.Type.RECORD) {
      return copy(record, schema);
    }
    return value;
  }

  @Override
  public List<Example> examples(Schema source, Schema target) {
    return List.of(
        new Example(
            "a deposit of 12.34 stays 12.34, at scale 4",
            event(source, "MoneyDeposited", "amount", new BigDecimal("12.34"), 2),
            event(target, "MoneyDeposited", "amount", new BigDecimal("12.3400"), 2)),
        new Example(
            "a withdrawal of 0.01",
            event(source, "MoneyWithdrawn", "amount", new BigDecimal("0.01"), 3),
            event(target, "MoneyWithdrawn", "amount", new BigDecimal("0.0100"), 3)),
        new Example(
            "an opening in JPY keeps its owner and currency",
            opened(source, new BigDecimal("1000.00")),
            opened(target, new BigDecimal("1000.0000"))),
        new Example(
            "a closing has no amount",
            event(source, "AccountClosed", "reason", "moved", 4),
            event(target, "AccountClosed", "reason", "moved", 4)));
  }

  private static GenericRecord opened(Schema envelope, BigDecimal deposit) {
    GenericRecord event = envelope(envelope, "AccountOpened", 1);
    GenericRecord payload = (GenericRecord) event.get("payload");
    payload.put("owner", "Ada");
    payload.put("currency", "JPY");
    payload.put("initialDeposit", deposit);
    return event;
  }

  private static GenericRecord event(
      Schema envelope, String type, String field, Object value, long version) {
    GenericRecord event = envelope(envelope, type, version);
    ((GenericRecord) event.get("payload")).put(field, value);
    return event;
  }

  private static GenericRecord envelope(Schema envelope, String type, long version) {
    GenericRecord event = new GenericData.Record(envelope);
    event.put("eventId", "a1-c" + version + "-0");
    event.put("aggregateType", "account");
    event.put("aggregateId", "a1");
    event.put("version", version);
    event.put("occurredAt", Instant.parse("2026-12-03T10:15:30Z"));
    event.put("commandId", "c" + version);
    event.put("correlationId", "c" + version);
    event.put("principal", null);
    Schema branch =
        envelope.getField("payload").schema().getTypes().stream()
            .filter(b -> b.getName().equals(type))
            .findFirst()
            .orElseThrow();
    event.put("payload", new GenericData.Record(branch));
    return event;
  }
}
