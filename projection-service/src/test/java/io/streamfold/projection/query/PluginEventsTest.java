package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.events.GenericEvents;
import io.streamfold.projection.events.PluginEvents;
import io.streamfold.projection.it.MajorOneEvents;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.Test;

/** A plug-in's events as stream reads, subscriptions and dead letters show them. */
class PluginEventsTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final GenericEvents generic = new GenericEvents(registry);

  /** A plug-in over the accounts' events, read as they are for its projector. */
  static final class Ledger extends PersonalFieldsTest.MemberViews {
    private final Function<SchemaRegistry, Function<byte[], ?>> decoder;

    Ledger(Function<SchemaRegistry, Function<byte[], ?>> decoder) {
      this.decoder = decoder;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Function<byte[], PersonalFieldsTest.Member> decoder(SchemaRegistry registry) {
      return (Function<byte[], PersonalFieldsTest.Member>) decoder.apply(registry);
    }

    @Override
    public Map<String, Object> render(String id, PersonalFieldsTest.Member view) {
      return Map.of();
    }
  }

  private byte[] majorOneDeposit() throws Exception {
    int id = registry.register("accounts.events-value", MajorOneEvents.V1);
    return MajorOneEvents.wire(
        id, MajorOneEvents.event("a-1", 2, MajorOneEvents.payload("MoneyDeposited", "2.50")));
  }

  @Test
  void shouldShowAnOlderMajorUpcastWhenThePluginReadsAvro() throws Exception {
    byte[] deposit = majorOneDeposit();
    Function<byte[], IndexedRecord> events =
        PluginEvents.of(
            new Ledger(r -> AvroSerde.of(AccountEvent.class, r, false)::decode), registry, generic);

    IndexedRecord shown = events.apply(deposit);

    assertThat(shown.getSchema()).isEqualTo(AccountEvent.getClassSchema()); // the current major
    assertThat(((MoneyDeposited) ((AccountEvent) shown).getPayload()).getAmount())
        .isEqualTo(new BigDecimal("2.5000")); // decimal(20,4), through the upcaster
    GenericRecord asWritten = generic.decode(deposit);
    assertThat(asWritten.getSchema()).isEqualTo(MajorOneEvents.V1);
  }

  @Test
  void shouldShowTheEventAsWrittenWhenThePluginDoesNotReadAvroOrRefusesIt() throws Exception {
    byte[] deposit = majorOneDeposit();
    Function<byte[], IndexedRecord> notAvro =
        PluginEvents.of(new Ledger(r -> bytes -> "a string"), registry, generic);
    Function<byte[], IndexedRecord> refusing =
        PluginEvents.of(
            new Ledger(
                r ->
                    bytes -> {
                      throw new IllegalArgumentException("not mine");
                    }),
            registry,
            generic);

    assertThat(notAvro.apply(deposit).getSchema()).isEqualTo(MajorOneEvents.V1);
    assertThat(refusing.apply(deposit).getSchema()).isEqualTo(MajorOneEvents.V1);
  }
}
