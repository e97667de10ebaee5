package io.streamfold.projection.topology;

import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.StatsDelta;
import io.streamfold.projection.view.Transaction;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;

/** The serdes of the projections: Avro events in, JSON views in the stores. */
public record ProjectionSerdes(
    AvroSerde<AccountEvent> events,
    JsonSerde<AccountSummary> summaries,
    JsonSerde<Transaction> transactions,
    JsonSerde<StatsDelta> deltas,
    JsonSerde<CurrencyStats> stats) {

  /** The projections only read events, so they never register a schema. */
  public static ProjectionSerdes of(SchemaRegistry registry) {
    return new ProjectionSerdes(
        AvroSerde.of(AccountEvent.class, registry, false),
        new JsonSerde<>(AccountSummary.class),
        new JsonSerde<>(Transaction.class),
        new JsonSerde<>(StatsDelta.class),
        new JsonSerde<>(CurrencyStats.class));
  }
}
