package io.streamfold.schemas.account.upcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.schemas.account.AccountClosed;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.upcast.SchemaHistory;
import io.streamfold.schemas.upcast.Upcasting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Given an event as major 1 wrote it, when a current reader reads it, then it is major 2. */
class AccountEventV1ToV2Test {
  private static final String NAME = AccountEvent.getClassSchema().getFullName();
  private static final Schema V1 = SchemaHistory.fromClasspath().latestOfMajor(NAME, 1);

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<AccountEvent> serde = AvroSerde.of(AccountEvent.class, registry, true);

  @Test
  void givenAV1DepositWhenReadThenTheAmountIsTheSameAtScale4() throws IOException {
    byte[] written = v1("MoneyDeposited", "amount", new BigDecimal("12.34"));

    AccountEvent event = serde.decode(written);

    assertThat(((MoneyDeposited) event.getPayload()).getAmount())
        .isEqualTo(new BigDecimal("12.3400"));
    assertThat(event.getVersion()).isEqualTo(2);
    assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(event.getAggregateId()).isEqualTo("a1");
  }

  @Test
  void givenAV1OpeningWhenReadThenOwnerCurrencyAndDepositAreKept() throws IOException {
    GenericRecord payload = payload("AccountOpened");
    payload.put("owner", "Grace Hopper");
    payload.put("currency", "JPY");
    payload.put("initialDeposit", decimal("1000.00"));

    AccountOpened opened = (AccountOpened) serde.decode(v1(payload)).getPayload();

    assertThat(opened.getOwner()).isEqualTo("Grace Hopper");
    assertThat(opened.getCurrency()).isEqualTo("JPY");
    assertThat(opened.getInitialDeposit()).isEqualTo(new BigDecimal("1000.0000"));
  }

  @Test
  void givenAV1ClosingWhenReadThenItIsUnchanged() throws IOException {
    GenericRecord payload = payload("AccountClosed");
    payload.put("reason", "moved");

    assertThat(((AccountClosed) serde.decode(v1(payload)).getPayload()).getReason())
        .isEqualTo("moved");
  }

  @Test
  void theExamplesTheBuildGateRunsPass() {
    Upcasting upcasting = Upcasting.load();

    assertThat(upcasting.verify(NAME, 1, V1, AccountEvent.getClassSchema())).isEmpty();
  }

  @Test
  void whatThisVersionWritesIsRegisteredUnderTheSubjectOfMajor2() {
    AccountEvent event =
        AccountEvent.newBuilder()
            .setEventId("e")
            .setAggregateType("account")
            .setAggregateId("a1")
            .setVersion(1)
            .setOccurredAt(Instant.EPOCH)
            .setCommandId("c")
            .setCorrelationId("c")
            .setPayload(new MoneyDeposited(new BigDecimal("1.0050"), null, null))
            .build();

    byte[] bytes = serde.encode("accounts.events", event);

    assertThat(registry.lookup("accounts.events-value-v2", AccountEvent.getClassSchema()))
        .hasValue(ByteBuffer.wrap(bytes, 1, 4).getInt());
    assertThat(serde.decode(bytes)).isEqualTo(event);
  }

  private byte[] v1(String type, String field, Object value) throws IOException {
    GenericRecord payload = payload(type);
    payload.put(field, value instanceof BigDecimal d ? decimal(d.toPlainString()) : value);
    return v1(payload);
  }

  /** A v1 event as the previous release wrote it: v1 schema, registered under the v1 subject. */
  private byte[] v1(GenericRecord payload) throws IOException {
    GenericRecord event = new GenericData.Record(V1);
    event.put("eventId", "a1-c2-0");
    event.put("aggregateType", "account");
    event.put("aggregateId", "a1");
    event.put("version", 2L);
    event.put("occurredAt", Instant.parse("2026-01-02T03:04:05Z").toEpochMilli());
    event.put("commandId", "c2");
    event.put("correlationId", "c2");
    event.put("principal", null);
    event.put("payload", payload);
    int id = registry.register("accounts.events-value", V1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(V1).write(event, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static GenericRecord payload(String type) {
    return new GenericData.Record(
        V1.getField("payload").schema().getTypes().stream()
            .filter(b -> b.getName().equals(type))
            .findFirst()
            .orElseThrow());
  }

  /** decimal(18,2) bytes, as major 1 held amounts. */
  private static ByteBuffer decimal(String amount) {
    return ByteBuffer.wrap(new BigDecimal(amount).setScale(2).unscaledValue().toByteArray());
  }
}
