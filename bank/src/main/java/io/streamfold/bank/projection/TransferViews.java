package io.streamfold.bank.projection;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.transfer.CreditAccountVerified;
import io.streamfold.schemas.transfer.RefundStarted;
import io.streamfold.schemas.transfer.TransferCompleted;
import io.streamfold.schemas.transfer.TransferDebited;
import io.streamfold.schemas.transfer.TransferEvent;
import io.streamfold.schemas.transfer.TransferFailed;
import io.streamfold.schemas.transfer.TransferRefunded;
import io.streamfold.schemas.transfer.TransferRequested;
import io.streamfold.schemas.transfer.TransferTimedOut;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The money transfers' view ({@code GET /api/v1/transfers/{id}}): a plug-in of the projection
 * service, folding {@code transfers.events} into {@code transfer-views}.
 */
public final class TransferViews implements ViewProjection<TransferEvent, TransferView> {

  @Override
  public String store() {
    return "transfer-views";
  }

  @Override
  public String collection() {
    return "transfers";
  }

  @Override
  public Function<byte[], TransferEvent> decoder(SchemaRegistry registry) {
    return AvroSerde.of(TransferEvent.class, registry, false)::decode;
  }

  @Override
  public String key(TransferEvent event) {
    return event.getAggregateId();
  }

  @Override
  public long version(TransferEvent event) {
    return event.getVersion();
  }

  /** Keeps every step: {@code GET /api/v1/transfers/{id}?asOf=…} shows where a transfer stood. */
  @Override
  public boolean history() {
    return true;
  }

  /** {@code GET /api/v1/transfers?account=<id>}: the transfers from or to an account. */
  @Override
  public List<Index<TransferView>> indexes() {
    return List.of(new Index<>("account", view -> Arrays.asList(view.from(), view.to())));
  }

  /**
   * {@code GET /api/v1/totals/transfers/byStatus}: how many transfers stand in each status (how
   * many are under way, how many ended how); {@code .../moved}: the money completed transfers
   * moved, per currency.
   */
  @Override
  public List<Total<TransferView>> totals() {
    return List.of(
        new Total<>("byStatus", TransferView::status, view -> Map.of()),
        new Total<>(
            "moved",
            view -> "COMPLETED".equals(view.status()) ? view.currency() : null,
            view -> view.amount() == null ? Map.of() : Map.of("amount", view.amount())));
  }

  /**
   * The payload union's records: a subscription's {@code types=} names are checked against them.
   */
  @Override
  public List<String> eventTypes() {
    return PayloadTypes.of(TransferEvent.getClassSchema());
  }

  @Override
  public TransferView apply(TransferView current, TransferEvent event) {
    Object payload = event.getPayload();
    Instant at = event.getOccurredAt();
    if (payload instanceof TransferRequested requested) {
      return new TransferView(
          requested.getFrom(),
          requested.getTo(),
          Amounts.normalize(requested.getAmount()),
          requested.getCurrency(),
          "REQUESTED",
          null,
          null,
          false,
          at,
          at);
    }
    // the request itself is missing (a gap): what is known is the transfer's progress
    TransferView base =
        current != null
            ? current
            : new TransferView(null, null, null, null, "REQUESTED", null, null, false, null, at);
    if (payload instanceof CreditAccountVerified) {
      return base.next("DEBITING", at);
    } else if (payload instanceof TransferDebited) {
      return base.next("CREDITING", at);
    } else if (payload instanceof TransferCompleted) {
      return base.next("COMPLETED", at);
    } else if (payload instanceof TransferFailed failed) {
      return base.next("FAILED", at).because(failed.getCode(), failed.getMessage());
    } else if (payload instanceof RefundStarted refund) {
      return base.next("REFUNDING", at).because(refund.getCode(), refund.getMessage());
    } else if (payload instanceof TransferRefunded) {
      return base.next("REFUNDED", at);
    } else if (payload instanceof TransferTimedOut) {
      return base.next(base.status(), at).late();
    }
    throw new IllegalArgumentException("Unknown transfer event payload " + payload);
  }

  @Override
  public Map<String, Object> render(String id, TransferView view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("from", view.from());
    body.put("to", view.to());
    body.put("amount", view.amount() == null ? null : view.amount().toPlainString());
    body.put("currency", view.currency());
    body.put("status", view.status());
    body.put(
        "reason",
        view.reasonCode() == null
            ? null
            : Map.of("code", view.reasonCode(), "message", view.reasonMessage()));
    body.put("timedOut", view.timedOut());
    body.put("requestedAt", view.requestedAt() == null ? null : view.requestedAt().toString());
    body.put("updatedAt", view.updatedAt() == null ? null : view.updatedAt().toString());
    return body;
  }

  /** Each step of a transfer's history names the event that took it there. */
  @Override
  public Map<String, Object> renderVersion(
      String id, TransferView after, TransferEvent event, PersonalFields personal) {
    Map<String, Object> body = render(id, after);
    if (event != null
        && event.getPayload() instanceof org.apache.avro.specific.SpecificRecord step) {
      body.put("event", step.getSchema().getName());
    }
    return body;
  }

  @Override
  public byte[] write(TransferView view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Stored.string(out, view.from());
      Stored.string(out, view.to());
      Stored.decimal(out, view.amount());
      Stored.string(out, view.currency());
      out.writeUTF(view.status());
      Stored.string(out, view.reasonCode());
      Stored.string(out, view.reasonMessage());
      out.writeBoolean(view.timedOut());
      Stored.instant(out, view.requestedAt());
      Stored.instant(out, view.updatedAt());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public TransferView read(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      return new TransferView(
          Stored.string(in),
          Stored.string(in),
          Stored.decimal(in),
          Stored.string(in),
          in.readUTF(),
          Stored.string(in),
          Stored.string(in),
          in.readBoolean(),
          Stored.instant(in),
          Stored.instant(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
