package io.streamfold.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.command.it.Http;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients sending deposits and withdrawals the way a careful client should: each command has its
 * own {@code Idempotency-Key}, and a 503, 504 or broken connection is retried with the same key (on
 * the next instance) until the answer is definitive or the client gives up. Optionally every
 * command carries {@code If-Match} with the last version its client saw.
 */
final class Workload {
  /**
   * @param accounts the accounts commands go to (all opened beforehand)
   * @param clients concurrent clients
   * @param ifMatch whether commands are conditional on the last version seen
   * @param giveUpAfter how long one command is retried before its outcome is left unknown
   * @param replayFraction the share of answered commands sent once more with the same key, as a
   *     client would after losing the response: the answer must be the same, with no new events
   */
  record Options(
      List<String> accounts,
      int clients,
      boolean ifMatch,
      Duration giveUpAfter,
      double replayFraction) {}

  private final Supplier<List<String>> commandUrls;
  private final Ledger ledger;
  private final Options options;
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();
  private final List<String> replayMismatches =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopping;
  private ExecutorService pool;
  private final List<Future<?>> running = new ArrayList<>();

  Workload(Supplier<List<String>> commandUrls, Ledger ledger, Options options) {
    this.commandUrls = commandUrls;
    this.ledger = ledger;
    this.options = options;
  }

  /** Opens every account with 1,000.00 (recorded in the ledger), then starts the clients. */
  Workload start() {
    for (String account : options.accounts()) {
      Ledger.Command open = ledger.issue("open-" + account, account, new BigDecimal("1000.00"));
      Http.Response response =
          send(
              "/api/v1/accounts/" + account + "/open",
              "{\"owner\":\"Owner "
                  + (account.hashCode() & 7)
                  + "\",\"currency\":\"EUR\",\"initialDeposit\":\"1000.00\"}",
              open,
              null);
      if (response == null || response.status() != 201) {
        throw new IllegalStateException("Could not open " + account + ": " + describe(response));
      }
    }
    pool = Executors.newFixedThreadPool(options.clients());
    for (int c = 0; c < options.clients(); c++) {
      running.add(pool.submit(this::client));
    }
    return this;
  }

  /** Stops issuing new commands and waits for the ones in flight to be answered or given up. */
  void stop() throws Exception {
    stopping = true;
    for (Future<?> client : running) {
      client.get();
    }
    pool.shutdown();
  }

  private void client() {
    Map<String, Long> known = new HashMap<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!stopping) {
      String account = options.accounts().get(random.nextInt(options.accounts().size()));
      boolean deposit = random.nextInt(3) > 0;
      BigDecimal amount = BigDecimal.valueOf(random.nextInt(1, 20_000), 2);
      Ledger.Command command =
          ledger.issue(UUID.randomUUID().toString(), account, deposit ? amount : amount.negate());
      issued.incrementAndGet();
      Long ifMatch = options.ifMatch() ? known.getOrDefault(account, 1L) : null;
      Http.Response answer = sendMoney(command, ifMatch);
      if (answer != null && answer.status() == 200) {
        known.put(account, version(answer.header("ETag")));
      } else if (answer != null && answer.status() == 412) {
        known.put(account, answer.json().get("currentVersion").asLong());
      }
      if (answer != null && random.nextDouble() < options.replayFraction()) {
        replay(command, ifMatch);
      }
    }
  }

  /** A deposit (positive delta) or a withdrawal (negative) of the command's account. */
  private Http.Response sendMoney(Ledger.Command command, Long ifMatch) {
    boolean deposit = command.delta.signum() > 0;
    return send(
        "/api/v1/accounts/" + command.account + (deposit ? "/deposit" : "/withdraw"),
        "{\"amount\":\"" + command.delta.abs().toPlainString() + "\"}",
        command,
        ifMatch);
  }

  /**
   * Sends until definitive, rotating over the instances; records the answer in the ledger.
   *
   * @return the definitive answer, or null when the client gave up
   */
  private Http.Response send(String path, String body, Ledger.Command command, Long ifMatch) {
    long deadline = System.nanoTime() + options.giveUpAfter().toNanos();
    int first = ThreadLocalRandom.current().nextInt(1000);
    for (int attempt = 0; ; attempt++) {
      command.attempts = attempt + 1;
      List<String> urls = commandUrls.get();
      String url = urls.get((first + attempt) % urls.size()) + path;
      Http.Response response = null;
      try {
        response =
            ifMatch == null
                ? Http.post(url, body, "Idempotency-Key", command.commandId)
                : Http.post(
                    url,
                    body,
                    "Idempotency-Key",
                    command.commandId,
                    "If-Match",
                    "\"" + ifMatch + "\"");
      } catch (IllegalStateException connectionFailed) {
        // the instance is down or was killed mid-request: the outcome is unknown, retry
      }
      int status = response == null ? -1 : response.status();
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (status == 200 || status == 201 || status >= 400 && status < 500 || status == 500) {
        answered.incrementAndGet();
      }
      if (status == 200 || status == 201) {
        List<String> eventIds = new ArrayList<>();
        response.json().get("events").forEach(e -> eventIds.add(e.get("eventId").asText()));
        Ledger.accepted(command, status, eventIds);
        return response;
      }
      if (status >= 400 && status < 500 || status == 500) {
        Ledger.refused(command, status);
        return response;
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      retries.incrementAndGet();
      Pause.of(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 150)));
    }
  }

  /** The same command again: the same status and the same events, never a second application. */
  private void replay(Ledger.Command command, Long ifMatch) {
    int status = command.status;
    List<String> eventIds = command.eventIds;
    Ledger.Command again = new Ledger.Command(command.commandId, command.account, command.delta);
    Http.Response answer = sendMoney(again, ifMatch);
    replays.incrementAndGet();
    if (answer != null && (again.status != status || !again.eventIds.equals(eventIds))) {
      replayMismatches.add(
          command.commandId
              + ": first "
              + status
              + " "
              + eventIds
              + ", again "
              + again.status
              + " "
              + again.eventIds);
    }
  }

  long replays() {
    return replays.get();
  }

  List<String> replayMismatches() {
    return List.copyOf(replayMismatches);
  }

  private static long version(String etag) {
    return Long.parseLong(etag.replace("\"", ""));
  }

  private static String describe(Http.Response response) {
    if (response == null) {
      return "no definitive answer";
    }
    JsonNode json = response.json();
    return response.status() + " " + (json == null ? response.raw().body() : json);
  }

  /**
   * Waits until {@code more} further commands have had a definitive answer: the chaos schedule
   * moves with the load, not with the clock, so a slow machine still gets load between its kills.
   */
  void awaitAnswered(long more, Duration atMost) {
    long target = answered.get() + more;
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> answered.get() >= target);
  }

  long issued() {
    return issued.get() + options.accounts().size();
  }

  long retries() {
    return retries.get();
  }

  /** Every status seen, -1 standing for a failed connection. */
  Map<Integer, Integer> statuses() {
    Map<Integer, Integer> copy = new java.util.TreeMap<>();
    statuses.forEach((status, count) -> copy.put(status, count.get()));
    return copy;
  }

  Set<Integer> statusCodes() {
    return statuses().keySet();
  }
}
