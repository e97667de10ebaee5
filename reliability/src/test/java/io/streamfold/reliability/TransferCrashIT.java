package io.streamfold.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.bank.account.AccountEvent;
import io.streamfold.bank.avro.TransferAggregate;
import io.streamfold.bank.transfer.TransferEvent;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Money transfers in a ring of accounts, sent by concurrent clients while the command-service
 * processes (which run the transfers' process manager) are killed with SIGKILL again and again.
 * Afterwards every transfer has ended; read from the whole log, the sum of all balances is what was
 * deposited at the start, no balance ever went below zero, no account was debited, credited or
 * refunded twice for one transfer, and what moved agrees with how each transfer ended.
 */
class TransferCrashIT {
  private static final int RING = 8;
  private static final BigDecimal START = new BigDecimal("1000.00");
  private static final String FULL = "full"; // at the balance limit: credits are refused
  private static final String DOLLARS = "dollars"; // another currency: checks are refused

  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger accepted = new AtomicInteger();

  /** Requests refused at once, nothing recorded (to the account in another currency). */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  @Test
  void shouldEndEveryTransferMovingMoneyOnceWhileInstancesAreKilled() throws Exception {
    int kills = Soak.count("transfer.kills", 3, 20);
    int transfers = Soak.count("transfers", 300, 3000);
    String bootstrap = SharedStack.broker().bootstrapServers();
    String registry = SharedStack.registry().url();
    try (Cluster cluster =
        Cluster.start(
            "transfers", bootstrap, registry, 2, 0, Map.of("TRANSFER_TIMEOUT", "PT20S"))) {
      List<String> ring = IntStream.range(0, RING).mapToObj(i -> "ring-" + i).toList();
      Map<String, BigDecimal> deposited = new HashMap<>();
      for (String account : ring) {
        open(cluster, account, "EUR", START);
        deposited.put(account, START);
      }
      BigDecimal limit = new BigDecimal("9999999999999999.00");
      open(cluster, FULL, "EUR", limit);
      deposited.put(FULL, limit);
      open(cluster, DOLLARS, "USD", START);
      deposited.put(DOLLARS, START);

      List<String> ids = new ArrayList<>();
      Map<String, String> bodies = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      for (int i = 0; i < transfers; i++) {
        String id = "tr-" + i;
        ids.add(id);
        String from = ring.get(i % RING);
        String to =
            i % 10 == 3 ? FULL : i % 15 == 7 ? DOLLARS : ring.get((i + 1 + i / RING) % RING);
        if (to.equals(from)) {
          to = ring.get((i + 1) % RING);
        }
        String amount =
            i % 12 == 5 ? "5000.00" : ThreadLocalRandom.current().nextInt(1, 60) + ".25";
        String body =
            "{\"from\":\""
                + from
                + "\",\"to\":\""
                + to
                + "\",\"amount\":\""
                + amount
                + "\",\"currency\":\"EUR\"}";
        bodies.put(id, body);
        clients.submit(() -> request(cluster, id, body));
      }
      for (int kill = 0; kill < kills; kill++) {
        int target = (kill + 1) * transfers / (kills + 1);
        await().atMost(Duration.ofMinutes(3)).until(() -> accepted.get() >= target);
        ServiceProcess victim = cluster.commands.get(kill % 2);
        victim.kill();
        Pause.of(Duration.ofSeconds(1));
        victim.start();
        victim.awaitReady(Duration.ofSeconds(120));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
      assertThat(accepted.get() + refused.size())
          .as("every request answered 202, or 422 with nothing recorded")
          .isEqualTo(transfers);
      assertThat(statuses.keySet())
          .as("only answers a careful client can act on")
          .isSubsetOf(202, 422, 503, 504, -1);
      assertThat(refused)
          .as("refused at the request: only those to the account in another currency")
          .allMatch(id -> bodies.get(id).contains(DOLLARS));

      Map<String, String> ended = new HashMap<>();
      for (String id : ids) {
        if (refused.contains(id)) {
          assertThat(Http.get(cluster.commandUrls().get(0) + "/api/v1/transfers/" + id).status())
              .as("%s refused: nothing recorded", id)
              .isEqualTo(404);
        } else {
          ended.put(id, awaitEnd(cluster, id));
        }
      }
      check(bootstrap, registry, cluster.prefix, deposited, ended);
      System.out.printf(
          "TransferCrashIT: %d transfers (%d refused at once, %d completed, %d failed, %d refunded),"
              + " %d command-service kills, statuses %s%n",
          transfers,
          refused.size(),
          ended.values().stream().filter("COMPLETED"::equals).count(),
          ended.values().stream().filter("FAILED"::equals).count(),
          ended.values().stream().filter("REFUNDED"::equals).count(),
          kills,
          statuses);
    }
  }

  /** Reads the whole log and judges it. */
  private static void check(
      String bootstrap,
      String registry,
      String prefix,
      Map<String, BigDecimal> deposited,
      Map<String, String> ended) {
    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAccounts(bootstrap, registry, prefix + "accounts.events");
    Map<String, BigDecimal> balances = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    Map<String, List<String>> movements = new HashMap<>(); // transfer → "debit a", "credit b", …
    for (EventLog.Entry<AccountEvent> entry : log) {
      EventEnvelope<AccountEvent> envelope = entry.event();
      String account = envelope.aggregateId();
      assertThat(eventIds.add(envelope.eventId())).as("event %s once", envelope.eventId()).isTrue();
      assertThat(envelope.version())
          .as("versions of %s contiguous", account)
          .isEqualTo(versions.getOrDefault(account, 0L) + 1);
      versions.put(account, envelope.version());
      AccountEvent event = envelope.event();
      BigDecimal balance = balances.getOrDefault(account, BigDecimal.ZERO);
      if (event instanceof AccountEvent.AccountOpened opened) {
        balance = opened.initialDeposit();
      } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
        balance = balance.subtract(withdrawn.amount());
        movement(movements, withdrawn.transferId(), "debit " + account);
      } else if (event instanceof AccountEvent.MoneyDeposited deposit) {
        balance = balance.add(deposit.amount());
        String kind =
            ended.containsKey(deposit.transferId())
                    && deposit.counterparty() != null
                    && isRefund(log, deposit.transferId(), account)
                ? "refund "
                : "credit ";
        movement(movements, deposit.transferId(), kind + account);
      }
      assertThat(balance.signum()).as("balance of %s never below zero", account).isNotNegative();
      balances.put(account, balance);
    }
    BigDecimal total = balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal expected = deposited.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(total).as("the sum of all balances").isEqualByComparingTo(expected);

    for (Map.Entry<String, String> transfer : ended.entrySet()) {
      List<String> moved = movements.getOrDefault(transfer.getKey(), List.of());
      List<String> kinds = moved.stream().map(m -> m.substring(0, m.indexOf(' '))).toList();
      switch (transfer.getValue()) {
        case "COMPLETED" ->
            assertThat(kinds)
                .as("%s completed: %s", transfer.getKey(), moved)
                .containsExactlyInAnyOrder("debit", "credit");
        case "FAILED" -> assertThat(kinds).as("%s failed: %s", transfer.getKey(), moved).isEmpty();
        case "REFUNDED" ->
            assertThat(kinds)
                .as("%s refunded: %s", transfer.getKey(), moved)
                .containsExactlyInAnyOrder("debit", "refund");
        default -> throw new AssertionError(transfer.getKey() + " ended " + transfer.getValue());
      }
    }

    TransferAggregate transfers =
        new TransferAggregate(HttpSchemaRegistry.cached(registry), false, Duration.ofMinutes(1));
    Map<String, Integer> terminal = new HashMap<>();
    for (EventLog.Entry<TransferEvent> entry :
        EventLog.readAll(bootstrap, prefix + "transfers.events", transfers.codec())) {
      TransferEvent event = entry.event().event();
      if (event instanceof TransferEvent.TransferCompleted
          || event instanceof TransferEvent.TransferFailed
          || event instanceof TransferEvent.TransferRefunded) {
        terminal.merge(entry.event().aggregateId(), 1, Integer::sum);
      }
    }
    assertThat(terminal).as("one end per transfer").hasSize(ended.size());
    assertThat(terminal.values()).containsOnly(1);
  }

  /** Whether the deposit of {@code transfer} on {@code account} pays back its own debit. */
  private static boolean isRefund(
      List<EventLog.Entry<AccountEvent>> log, String transfer, String account) {
    return log.stream()
        .anyMatch(
            e ->
                e.event().aggregateId().equals(account)
                    && e.event().event() instanceof AccountEvent.MoneyWithdrawn w
                    && transfer.equals(w.transferId()));
  }

  private static void movement(Map<String, List<String>> movements, String transfer, String what) {
    if (transfer != null) {
      movements.computeIfAbsent(transfer, t -> new ArrayList<>()).add(what);
    }
  }

  private void request(Cluster cluster, String id, String body) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      List<String> urls = cluster.commandUrls();
      int status;
      Http.Response reply = null;
      try {
        reply =
            Http.post(
                urls.get(attempt % urls.size()) + "/api/v1/transfers/" + id + "/request",
                body,
                "Idempotency-Key",
                id);
        status = reply.status();
      } catch (IllegalStateException connectionFailed) {
        status = -1; // killed mid-request, or not listening yet: retry with the same key
      }
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (status == 202) {
        accepted.incrementAndGet();
        return;
      }
      if (status == 422 && reply.json().get("type").asText().endsWith("/currency-mismatch")) {
        refused.add(id);
        return;
      }
      if (status >= 400 && status < 500) {
        return; // counted in statuses, which the test checks
      }
      Pause.of(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 150)));
    }
  }

  /** Waits until the transfer has ended; its status. */
  private static String awaitEnd(Cluster cluster, String id) {
    String[] status = new String[1];
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (String url : cluster.commandUrls()) {
                try {
                  Http.Response read = Http.get(url + "/api/v1/transfers/" + id);
                  if (read.status() == 200) {
                    JsonNode state = read.json().get("state");
                    status[0] = state.get("status").asText();
                    return status[0].matches("COMPLETED|FAILED|REFUNDED");
                  }
                } catch (IllegalStateException notListening) {
                  // try the other instance
                }
              }
              return false;
            });
    return status[0];
  }

  private static void open(Cluster cluster, String id, String currency, BigDecimal deposit) {
    String body =
        "{\"owner\":\"Ada\",\"currency\":\""
            + currency
            + "\",\"initialDeposit\":\""
            + deposit.toPlainString()
            + "\"}";
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              try {
                int status =
                    Http.post(
                            cluster.commandUrls().get(0) + "/api/v1/accounts/" + id + "/open",
                            body,
                            "Idempotency-Key",
                            "open-" + id)
                        .status();
                return status == 201;
              } catch (IllegalStateException notYet) {
                return false;
              }
            });
  }
}
