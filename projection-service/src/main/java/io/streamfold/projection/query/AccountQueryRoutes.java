package io.streamfold.projection.query;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.projection.topology.StoreNames;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.Transaction;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;

/**
 * One account: {@code GET /api/v1/accounts/{id}} (with {@code minVersion} or {@code asOf}), its
 * transactions, its stream of events ({@code GET /api/v1/streams/accounts/{id}/events}), and the
 * accounts of an owner. Answered here when this instance owns the key, forwarded otherwise; a
 * summary may come from a standby copy ({@link StandbyReads}).
 */
public final class AccountQueryRoutes {
  static final String COLLECTION = "accounts";

  private final LocalStores stores;
  private final Forwarder forwarder;
  private final VersionWaiters waiters;
  private final Duration defaultWait;
  private final Duration maxWait;
  private final StandbyReads standby;
  private final Duration historyRetention;
  private final Clock clock;
  private final Function<byte[], ? extends IndexedRecord> events;
  private final PersonalData personal;
  private final Map<String, java.util.function.Consumer<Context>> otherStreams;

  /**
   * @param events decodes an event's bytes as kept in the history (registry wire format), its
   *     writer's schema resolved to this service's
   * @param otherStreams the stream reads of the plugged-in views that keep their history, by
   *     collection
   */
  public AccountQueryRoutes(
      LocalStores stores,
      Forwarder forwarder,
      VersionWaiters waiters,
      Duration defaultWait,
      Duration maxWait,
      StandbyReads standby,
      Duration historyRetention,
      Clock clock,
      Function<byte[], ? extends IndexedRecord> events,
      PersonalData personal,
      Map<String, java.util.function.Consumer<Context>> otherStreams) {
    this.otherStreams = Map.copyOf(otherStreams);
    this.personal = personal;
    this.stores = stores;
    this.forwarder = forwarder;
    this.waiters = waiters;
    this.defaultWait = defaultWait;
    this.maxWait = maxWait;
    this.standby = standby;
    this.historyRetention = historyRetention;
    this.clock = clock;
    this.events = events;
  }

  public void install(JavalinConfig config) {
    config.routes.get("/api/v1/accounts/{id}", this::account);
    config.routes.get("/api/v1/accounts/{id}/transactions", this::transactions);
    config.routes.get("/api/v1/owners/{ownerId}/accounts", this::owner);
    config.routes.get("/api/v1/streams/{collection}/{id}/events", this::stream);
  }

  private void account(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    Instant asOf = QueryParams.asOf(ctx, minVersion, clock, historyRetention);
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(StoreNames.SUMMARIES, id);
    if (location instanceof Location.Here here) {
      if (asOf != null) {
        answer(ctx, id, stores.summaryAsOf(id, here.partition(), asOf), "at " + asOf);
      } else {
        answerWhenApplied(
            ctx,
            id,
            here.partition(),
            minVersion,
            wait,
            (summary, partition) -> answer(ctx, id, summary, null));
      }
    } else {
      standby.answer(
          ctx,
          StoreNames.SUMMARIES,
          id,
          location,
          asOf == null && minVersion == null,
          partition -> answer(ctx, id, stores.summary(id, partition, true), null));
    }
  }

  /**
   * Answers with {@code answer} once the account has {@code minVersion} (at once without one), or
   * 503 {@code version-not-yet-applied} after {@code wait}.
   */
  private void answerWhenApplied(
      Context ctx,
      String id,
      int partition,
      Long minVersion,
      Duration wait,
      java.util.function.BiConsumer<AccountSummary, Integer> answer) {
    ReadYourWrites.answer(
        ctx,
        waiters,
        id,
        minVersion,
        wait,
        () -> stores.summary(id, partition, false),
        AccountSummary::version,
        summary -> answer.accept(summary, partition));
  }

  private void answer(Context ctx, String id, AccountSummary summary, String when) {
    if (summary == null) {
      throw ProblemException.notFound("No account " + id + (when == null ? "" : " " + when));
    }
    ctx.header("ETag", "\"" + summary.version() + "\"")
        .header("X-Streamfold-Served-By", stores.self().host() + ":" + stores.self().port())
        .json(AccountView.of(summary, personal));
  }

  private void transactions(Context ctx) {
    String id = Ids.aggregateId(ctx.pathParam("id"));
    long after = QueryParams.nonNegativeLong(ctx, "after", 0);
    int limit = QueryParams.limit(ctx, 50, 500);
    Location location = stores.locate(StoreNames.SUMMARIES, id);
    if (location instanceof Location.Here here) {
      if (stores.summary(id, here.partition(), false) == null) {
        throw ProblemException.notFound("No account " + id);
      }
      List<Transaction> page = stores.transactions(id, here.partition(), after, limit);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("accountId", id);
      body.put("transactions", page);
      body.put(
          "nextCursor",
          page.size() == limit ? Long.toString(page.get(page.size() - 1).version()) : null);
      ctx.json(body);
    } else {
      Location.forwardOrUnavailable(ctx, location, forwarder);
    }
  }

  /**
   * An aggregate's events in version order, from {@code from} (1 by default), at most {@code
   * limit}: decoded from the bytes the history keeps, as the subscription renders them.
   */
  private void stream(Context ctx) {
    String collection = ctx.pathParam("collection");
    java.util.function.Consumer<Context> other = otherStreams.get(collection);
    if (other != null) {
      other.accept(ctx);
      return;
    }
    if (!collection.equals(COLLECTION)) {
      throw ProblemException.notFound(
          "No collection "
              + (collection.length() > 64 ? collection.substring(0, 64) + "…" : collection));
    }
    String id = Ids.aggregateId(ctx.pathParam("id"));
    long from = QueryParams.nonNegativeLong(ctx, "from", 1);
    int limit = QueryParams.limit(ctx, 100, 1000);
    Long minVersion = QueryParams.positiveLong(ctx, "minVersion");
    Duration wait = QueryParams.wait(ctx, defaultWait, maxWait);
    Location location = stores.locate(StoreNames.SUMMARIES, id);
    if (location instanceof Location.Here here) {
      answerWhenApplied(
          ctx,
          id,
          here.partition(),
          minVersion,
          wait,
          (summary, partition) -> answerStream(ctx, id, summary, partition, from, limit));
    } else {
      Location.forwardOrUnavailable(ctx, location, forwarder);
    }
  }

  private void answerStream(
      Context ctx, String id, AccountSummary summary, int partition, long from, int limit) {
    if (summary == null) {
      throw ProblemException.notFound("No stream " + id + " in " + COLLECTION);
    }
    StreamPages.answer(
        ctx,
        id,
        summary.version(),
        stores.history(id, partition, Math.max(1, from), limit).stream()
            .map(entry -> new StreamPages.Kept(entry.version(), entry.event()))
            .toList(),
        limit,
        events,
        personal);
  }

  private void owner(Context ctx) {
    // keyed by the data subject, never by a personal value such as a name
    String owner = Ids.aggregateId(ctx.pathParam("ownerId"));
    String after = ctx.queryParam("cursor");
    if (after != null) {
      Ids.aggregateId(after);
    }
    int limit = QueryParams.limit(ctx, 100, 1000);
    Location location = stores.locate(StoreNames.OWNER_INDEX, owner);
    if (location instanceof Location.Here here) {
      List<String> accounts = stores.ownerAccounts(owner, here.partition(), after, limit);
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("ownerId", owner);
      body.put("accounts", accounts);
      body.put("nextCursor", accounts.size() == limit ? accounts.get(limit - 1) : null);
      ctx.json(body);
    } else {
      Location.forwardOrUnavailable(ctx, location, forwarder);
    }
  }
}
