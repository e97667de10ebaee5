package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.it.EventLog;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountOpened;
import io.streamfold.schemas.account.MoneyDeposited;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.transfer.CreditAccountVerified;
import io.streamfold.schemas.transfer.TransferCompleted;
import io.streamfold.schemas.transfer.TransferDebited;
import io.streamfold.schemas.transfer.TransferEvent;
import io.streamfold.schemas.transfer.TransferRequested;
import io.streamfold.service.kafka.TopicProvisioner;
import io.streamfold.service.kafka.TopicSpec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * A dead letter whose cause can be fixed, as in a disaster-recovery site whose registry lags the
 * mirrored topics: an account's three events go to the log, the second written with a schema id the
 * registry has not issued yet, so the projections dead-letter it and apply the third with a gap.
 * {@link #fix()} then registers the schema that gets that id, and a replay can apply it.
 *
 * <p>The id is predicted: the registry numbers new schemas one after another, and nothing else
 * registers one meanwhile (the projections never register). {@link #fix()} checks it.
 */
public final class FixablePoison {
  public static final BigDecimal OPENING = new BigDecimal("10.00");
  public static final BigDecimal LOST = new BigDecimal("5.00");
  public static final BigDecimal LATER = new BigDecimal("1.00");

  private final SchemaRegistry registry;
  private final String subject;
  private final int futureId;
  private final Schema schema;

  private FixablePoison(SchemaRegistry registry, String subject, int futureId, Schema schema) {
    this.registry = registry;
    this.subject = subject;
    this.futureId = futureId;
    this.schema = schema;
  }

  /** Creates the events topic (3 partitions) if it is missing. */
  public static void createEventLog(String bootstrap, String topic) {
    Properties admin = new Properties();
    admin.put("bootstrap.servers", bootstrap);
    new TopicProvisioner(admin).ensure(List.of(new TopicSpec(topic, 3, (short) 1, Map.of())));
  }

  /** Writes versions 1 to 3 of {@code accountId}; version 2 cannot be decoded until fixed. */
  public static FixablePoison write(
      String bootstrap, String registryUrl, String eventsTopic, String accountId) {
    SchemaRegistry registry = HttpSchemaRegistry.cached(registryUrl);
    AvroSerde<AccountEvent> serde = AvroSerde.of(AccountEvent.class, registry, true);
    Instant t0 = Instant.parse("2026-11-01T09:00:00Z");
    byte[] opened =
        serde.encode(
            eventsTopic, event(accountId, 1, t0, new AccountOpened("Ada", "EUR", OPENING, null)));
    byte[] lost =
        serde.encode(
            eventsTopic,
            event(accountId, 2, t0.plusSeconds(1), new MoneyDeposited(LOST, null, null)));
    byte[] later =
        serde.encode(
            eventsTopic,
            event(accountId, 3, t0.plusSeconds(2), new MoneyDeposited(LATER, null, null)));
    return lose(
        bootstrap,
        registry,
        eventsTopic,
        accountId,
        AccountEvent.getClassSchema(),
        opened,
        lost,
        later);
  }

  /**
   * Writes versions 1 to 4 of the money transfer {@code transferId} (requested, verified, debited,
   * completed); version 2 cannot be decoded until fixed.
   */
  public static FixablePoison writeTransfer(
      String bootstrap, String registryUrl, String eventsTopic, String transferId) {
    SchemaRegistry registry = HttpSchemaRegistry.cached(registryUrl);
    AvroSerde<TransferEvent> serde = AvroSerde.of(TransferEvent.class, registry, true);
    Instant t0 = Instant.parse("2026-11-01T09:00:00Z");
    Object[] payloads = {
      new TransferRequested("acc-a", "acc-b", new BigDecimal("2.5000"), "EUR", t0.plusSeconds(60)),
      new CreditAccountVerified(),
      new TransferDebited(),
      new TransferCompleted()
    };
    byte[][] encoded = new byte[payloads.length][];
    for (int i = 0; i < payloads.length; i++) {
      encoded[i] =
          serde.encode(
              eventsTopic,
              TransferEvent.newBuilder()
                  .setEventId(transferId + "-" + (i + 1))
                  .setAggregateType("transfer")
                  .setAggregateId(transferId)
                  .setVersion(i + 1)
                  .setOccurredAt(t0.plusSeconds(i))
                  .setCommandId("c-" + transferId + "-" + (i + 1))
                  .setCorrelationId("corr-" + transferId)
                  .setPayload(payloads[i])
                  .build());
    }
    return lose(
        bootstrap, registry, eventsTopic, transferId, TransferEvent.getClassSchema(), encoded);
  }

  /** Writes {@code events} of {@code id} in order, the second naming a schema id not issued yet. */
  private static FixablePoison lose(
      String bootstrap,
      SchemaRegistry registry,
      String eventsTopic,
      String id,
      Schema schema,
      byte[]... events) {
    String subject = "replay-fix-" + UUID.randomUUID() + "-value";
    int latest = registry.register(subject, variant(schema, 0));
    int futureId = latest + 1;
    ByteBuffer.wrap(events[1]).putInt(1, futureId); // the writer's schema: one the registry lacks
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    for (byte[] event : events) {
      EventLog.writeRaw(bootstrap, eventsTopic, key, event);
    }
    return new FixablePoison(registry, subject, futureId, schema);
  }

  /** Registers the schema that the lost event names: from now on it can be decoded. */
  public void fix() {
    int id = 0;
    for (int i = 1; id < futureId && i < 20; i++) {
      id = registry.register(subject, variant(schema, i));
    }
    assertThat(id)
        .as("the registry issued the id the lost event names (ids were predicted consecutive)")
        .isEqualTo(futureId);
  }

  /** {@code schema} with a mark of its own, so the registry takes it as new content. */
  private static Schema variant(Schema schema, int mark) {
    Schema marked = new Schema.Parser().parse(schema.toString());
    marked.addProp("x-replay-fix", UUID.randomUUID() + "-" + mark);
    return marked;
  }

  private static AccountEvent event(String id, long version, Instant at, Object payload) {
    return AccountEvent.newBuilder()
        .setEventId(id + "-" + version)
        .setAggregateType("account")
        .setAggregateId(id)
        .setVersion(version)
        .setOccurredAt(at)
        .setCommandId("c-" + id + "-" + version)
        .setCorrelationId("corr-" + id)
        .setPayload(payload)
        .build();
  }
}
