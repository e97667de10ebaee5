package io.streamfold.projection.query;

import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.ProblemException;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * Answers that span every instance: the account list (each account exactly once, in id order, paged
 * by a cursor) and the ledger statistics (each partition's, summed). Each instance contributes what
 * its active partitions hold through {@code /internal/v1/…}, and says which partitions those are;
 * unless the parts cover every partition of the event log exactly once (an instance did not answer,
 * a partition has no active owner, or two instances both claimed one during a rebalance), the
 * answer is 503 rather than a partial or double-counted one.
 */
public final class ScatterGatherRoutes {
  private static final TypeReference<LocalStores.Part<List<AccountSummary>>> SUMMARIES =
      new TypeReference<>() {};
  private static final TypeReference<LocalStores.Part<List<CurrencyStats>>> STATS =
      new TypeReference<>() {};

  private final LocalStores stores;
  private final Forwarder forwarder;
  private final int eventPartitions;

  private final PersonalData personal;

  public ScatterGatherRoutes(
      LocalStores stores, Forwarder forwarder, int eventPartitions, PersonalData personal) {
    this.personal = personal;
    this.stores = stores;
    this.forwarder = forwarder;
    this.eventPartitions = eventPartitions;
  }

  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/accounts", this::list);
    config.routes.get("/api/v1/stats", this::stats);
    config.routes.get("/internal/v1/accounts", this::localPage);
    config.routes.get(
        "/internal/v1/stats",
        ctx -> {
          requireRunning();
          ctx.json(stores.stats());
        });
  }

  private void list(Context ctx) {
    String status = status(ctx);
    String cursor = ctx.queryParam("cursor");
    int limit = QueryParams.limit(ctx, 100, 1000);
    String query =
        "?limit="
            + limit
            + (status == null ? "" : "&status=" + status)
            + (cursor == null
                ? ""
                : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    TreeMap<String, AccountSummary> merged = new TreeMap<>();
    for (List<AccountSummary> page :
        this.<List<AccountSummary>>gather(
            ctx,
            "/internal/v1/accounts" + query,
            SUMMARIES,
            () -> stores.page(status, cursor, limit),
            StoreNames.SUMMARIES)) {
      page.forEach(summary -> merged.put(summary.accountId(), summary));
    }
    List<AccountSummary> accounts = merged.values().stream().limit(limit).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accounts", accounts.stream().map(a -> AccountView.of(a, personal)).toList());
    body.put(
        "nextCursor",
        accounts.size() == limit ? accounts.get(accounts.size() - 1).accountId() : null);
    ctx.json(body);
  }

  private void localPage(Context ctx) {
    requireRunning();
    ctx.json(stores.page(status(ctx), ctx.queryParam("cursor"), QueryParams.limit(ctx, 100, 1000)));
  }

  private void stats(Context ctx) {
    Map<String, CurrencyStats> byCurrency = new TreeMap<>();
    for (List<CurrencyStats> part :
        this.<List<CurrencyStats>>gather(
            ctx, "/internal/v1/stats", STATS, stores::stats, StoreNames.STATS)) {
      for (CurrencyStats stats : part) {
        byCurrency.merge(
            stats.currency(),
            stats,
            (a, b) ->
                new CurrencyStats(
                    a.currency(),
                    a.open() + b.open(),
                    a.closed() + b.closed(),
                    Amounts.normalize(a.totalBalance().add(b.totalBalance()))));
      }
    }
    long open = byCurrency.values().stream().mapToLong(CurrencyStats::open).sum();
    long closed = byCurrency.values().stream().mapToLong(CurrencyStats::closed).sum();
    Map<String, Object> balances = new TreeMap<>();
    byCurrency.forEach(
        (currency, stats) -> balances.put(currency, Amounts.normalize(stats.totalBalance())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accounts", Map.of("open", open, "closed", closed, "total", open + closed));
    body.put("totalBalanceByCurrency", balances);
    body.put("byCurrency", byCurrency.values());
    ctx.json(body);
  }

  private static String status(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !status.equals("OPEN") && !status.equals("CLOSED")) {
      throw ProblemException.badRequest(
          "invalid-parameter", "Parameter status must be OPEN or CLOSED");
    }
    return status;
  }

  /**
   * Every instance's part, this one's read locally; 503 unless together they cover every partition
   * exactly once.
   */
  private <T> List<T> gather(
      Context ctx,
      String path,
      TypeReference<LocalStores.Part<T>> type,
      java.util.function.Supplier<LocalStores.Part<T>> local,
      String store) {
    return gather(ctx, path, type, local, store, eventPartitions);
  }

  /**
   * Every instance's part of {@code store}'s answer ({@code path} on the others), this one's read
   * locally; 503 unless together they cover partitions 0 to {@code partitions} − 1 exactly once.
   */
  <T> List<T> gather(
      Context ctx,
      String path,
      TypeReference<LocalStores.Part<T>> type,
      java.util.function.Supplier<LocalStores.Part<T>> local,
      String store,
      int partitions) {
    requireRunning();
    List<LocalStores.Part<T>> parts = new ArrayList<>();
    for (StreamsMetadata instance : stores.instances(store)) {
      if (instance.hostInfo().equals(stores.self())) {
        parts.add(local.get());
        continue;
      }
      HttpResponse<byte[]> response = forwarder.get(ctx, instance.hostInfo(), path);
      if (response == null || response.statusCode() != 200) {
        throw ProblemException.unavailable(
            "instance-unavailable",
            "Instance " + instance.hostInfo() + " did not answer its part",
            1);
      }
      try {
        parts.add(Json.mapper().readValue(response.body(), type));
      } catch (IOException e) {
        throw new IllegalStateException("Unreadable answer from " + instance.hostInfo(), e);
      }
    }
    requireEveryPartitionOnce(parts, partitions);
    return parts.stream().map(LocalStores.Part::items).toList();
  }

  /** A part is answered only by an instance whose Kafka Streams is RUNNING (not rebalancing). */
  void requireRunning() {
    if (!stores.isRunning()) {
      throw ProblemException.unavailable("not-ready", "Kafka Streams is not running", 1);
    }
  }

  /** Throws a 503 problem unless the parts cover partitions 0 to {@code partitions} − 1 once. */
  static void requireEveryPartitionOnce(List<? extends LocalStores.Part<?>> parts, int partitions) {
    Set<Integer> covered = new HashSet<>();
    for (LocalStores.Part<?> part : parts) {
      for (int partition : part.partitions()) {
        if (!covered.add(partition)) {
          throw ProblemException.unavailable(
              "rebalancing",
              "Partition "
                  + partition
                  + " was answered by two instances (a rebalance is under way)",
              1);
        }
      }
    }
    for (int partition = 0; partition < partitions; partition++) {
      if (!covered.contains(partition)) {
        throw ProblemException.unavailable(
            "rebalancing",
            "Only "
                + covered.size()
                + " of "
                + partitions
                + " partitions were answered (partition "
                + partition
                + " has no active owner right now)",
            1);
      }
    }
  }
}
