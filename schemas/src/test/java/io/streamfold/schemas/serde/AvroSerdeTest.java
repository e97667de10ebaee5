package io.streamfold.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountState;
import io.streamfold.schemas.account.AccountStatus;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
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
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final SchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<AccountEvent> serde = AvroSerde.of(AccountEvent.class, registry, true);

  @Test
  void shouldRoundTripEveryEventType() {
    for (AccountEvent event : SampleEvents.all()) {
      byte[] bytes = serde.serializer().serialize("accounts.events", event);

      assertThat(serde.deserializer().deserialize("accounts.events", bytes)).isEqualTo(event);
    }
  }

  @Test
  void shouldFrameWithMagicByteAndTheRegisteredId() {
    byte[] bytes = serde.encode("accounts.events", SampleEvents.all().get(0));

    assertThat(bytes[0]).isZero();
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(registry.lookup("accounts.events-value-v2", AccountEvent.getClassSchema()))
        .hasValue(id);
  }

  @Test
  void shouldNameSubjectsByRecordWhenAsked() {
    AvroSerde<AccountEvent> byRecord =
        AvroSerde.of(AccountEvent.class, registry, SubjectNameStrategy.RECORD_NAME, true);
    byRecord.encode("any-topic", SampleEvents.all().get(0));

    assertThat(
            registry.lookup(
                "io.streamfold.schemas.account.AccountEvent-v2", AccountEvent.getClassSchema()))
        .isPresent();
  }

  @Test
  void shouldRefuseAnUnknownMagicByte() {
    byte[] bytes = serde.encode("accounts.events", SampleEvents.all().get(0));
    bytes[0] = 0x7b;

    assertThatThrownBy(() -> serde.decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte 0x7b");
  }

  @Test
  void shouldRefuseAnUnknownSchemaId() {
    byte[] bytes = serde.encode("accounts.events", SampleEvents.all().get(0));
    ByteBuffer.wrap(bytes).putInt(1, 424_242);

    assertThatThrownBy(() -> serde.decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("424242");
  }

  @Test
  void shouldRefuseDataTooShortForTheHeader() {
    assertThatThrownBy(() -> serde.decode(new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegistrationIsOff() {
    AvroSerde<AccountEvent> production = AvroSerde.of(AccountEvent.class, registry, false);

    assertThatThrownBy(() -> production.encode("unregistered", SampleEvents.all().get(0)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unregistered-value");
  }

  @Test
  void shouldReadDataWrittenWithAnOlderSchema() throws Exception {
    // an older AccountState without the openedAt field (the current one gives it no default, so
    // instead write with a newer schema that has an extra field, which the reader must skip)
    Schema newer =
        new Schema.Parser()
            .parse(
                AccountState.getClassSchema()
                    .toString()
                    .replace(
                        "\"fields\":[",
                        "\"fields\":[{\"name\":\"tier\",\"type\":\"string\",\"default\":\"basic\"},"));
    int id = registry.register("states-value", newer);
    GenericRecord record = new GenericData.Record(newer);
    record.put("tier", "gold");
    record.put("status", new GenericData.EnumSymbol(newer.getField("status").schema(), "OPEN"));
    record.put("owner", "Ada");
    record.put("currency", "EUR");
    record.put("balance", ByteBuffer.wrap(new BigDecimal("5.00").unscaledValue().toByteArray()));
    record.put("openedAt", 1_700_000_000_000L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(newer).write(record, encoder);
    encoder.flush();

    AccountState state =
        AvroSerde.of(AccountState.class, registry, false).decode(out.toByteArray());

    assertThat(state.getBalance()).isEqualByComparingTo("5.00");
    assertThat(state.getStatus()).isEqualTo(AccountStatus.OPEN);
    assertThat(state.getOpenedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }
}
