package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.avro.AccountAggregate;
import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two instances, 32 clients, 4 hot accounts, every command conditional on the last version its
 * client saw. Afterwards the whole event log must agree exactly with what the clients were told.
 */
class ConcurrencyIT {
  static final int CLIENTS = 32;
  static final int ACCOUNTS = 4;
  static final Duration DURATION = Duration.ofSeconds(Long.getLong("concurrency.seconds", 20));

  /** A command a client was told was accepted (2xx). */
  record Accepted(String commandId, String account, BigDecimal delta) {}

  final List<Accepted> accepted = Collections.synchronizedList(new ArrayList<>());
  final Set<String> rejected = ConcurrentHashMap.newKeySet();
  final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

  @Test
  void shouldAppendExactlyTheAcceptedCommandsWithContiguousVersions() throws Exception {
    Map<String, String> env = Instances.environment("concurrency");
    env.put("TOPIC_PARTITIONS", "6");
    env.put("COMMAND_TIMEOUT", "PT10S");
    try (CommandService a = Instances.start(env);
        CommandService b = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> a.isReady() && b.isReady());
      List<String> urls = List.of(Instances.url(a), Instances.url(b));
      List<String> accounts = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        String id = "hot-" + i;
        Http.Response opened =
            Http.post(
                urls.get(0) + "/api/v1/accounts/" + id + "/open",
                "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"100.00\"}",
                "Idempotency-Key",
                "open-" + id);
        assertThat(opened.status()).isEqualTo(201);
        accepted.add(new Accepted("open-" + id, id, new BigDecimal("100.00")));
        accounts.add(id);
      }

      long deadline = System.nanoTime() + DURATION.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String url = urls.get(c % 2);
        clients.add(pool.submit(() -> runClient(url, accounts, deadline)));
      }
      for (Future<?> client : clients) {
        client.get();
      }
      pool.shutdown();

      Map<String, Long> finalVersions = verifyTheEventLog(env, accounts);
      verifyEveryInstanceReadsEveryAccount(urls, finalVersions);
    }
  }

  /** The write model answers the same from both instances: locally or forwarded to the owner. */
  private static void verifyEveryInstanceReadsEveryAccount(
      List<String> urls, Map<String, Long> finalVersions) {
    Set<String> forwarded = new HashSet<>();
    for (String id : finalVersions.keySet()) {
      Set<String> servedBy = new HashSet<>();
      for (String url : urls) {
        Http.Response read = Http.get(url + "/api/v1/accounts/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"" + finalVersions.get(id) + "\"");
        servedBy.add(read.header("X-Streamfold-Served-By"));
        if (!url.endsWith(read.header("X-Streamfold-Served-By"))) {
          forwarded.add(id);
        }
      }
      assertThat(servedBy).as("one owner answers for %s", id).hasSize(1);
    }
    assertThat(forwarded)
        .as("each account is owned by one instance, so the other forwards")
        .hasSameSizeAs(finalVersions.keySet());
  }

  private void runClient(String url, List<String> accounts, long deadline) {
    Map<String, Long> known = new HashMap<>();
    accounts.forEach(id -> known.put(id, 1L));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < deadline) {
      String id = accounts.get(random.nextInt(accounts.size()));
      boolean deposit = random.nextInt(3) > 0;
      BigDecimal amount = BigDecimal.valueOf(random.nextInt(1, 5000), 2);
      String commandId = UUID.randomUUID().toString();
      Http.Response response =
          sendUntilDefinitive(
              url + "/api/v1/accounts/" + id + (deposit ? "/deposit" : "/withdraw"),
              "{\"amount\":\"" + amount.toPlainString() + "\"}",
              commandId,
              known.get(id));
      statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
      if (response.status() == 200) {
        accepted.add(new Accepted(commandId, id, deposit ? amount : amount.negate()));
        known.put(id, versionOf(response.header("ETag")));
      } else {
        rejected.add(commandId);
        if (response.status() == 412) {
          known.put(id, response.json().get("currentVersion").asLong());
        }
      }
    }
  }

  /** Retries 503/504 with the same Idempotency-Key until the outcome is known. */
  private static Http.Response sendUntilDefinitive(
      String url, String body, String commandId, long ifMatch) {
    for (int attempt = 0; attempt < 50; attempt++) {
      Http.Response response =
          Http.post(url, body, "Idempotency-Key", commandId, "If-Match", "\"" + ifMatch + "\"");
      if (response.status() != 503 && response.status() != 504) {
        return response;
      }
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
    }
    throw new AssertionError("No definitive answer for " + commandId);
  }

  private static long versionOf(String etag) {
    return Long.parseLong(etag.replace("\"", ""));
  }

  private Map<String, Long> verifyTheEventLog(Map<String, String> env, List<String> accounts) {
    AccountAggregate codecs =
        new AccountAggregate(HttpSchemaRegistry.cached(SharedStack.registry().url()), false);
    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAll(
            SharedStack.broker().bootstrapServers(),
            env.get("TOPIC_PREFIX") + "accounts.events",
            codecs.codec());

    assertThat(statuses.keySet()).as("statuses seen: %s", statuses).isSubsetOf(200, 412, 422);
    assertThat(statuses.get(200)).as("some commands must succeed").isNotNull();
    assertThat(log).as("one event per accepted command").hasSize(accepted.size());
    Set<String> acceptedIds =
        accepted.stream().map(Accepted::commandId).collect(Collectors.toSet());
    Set<String> causes = log.stream().map(e -> e.event().commandId()).collect(Collectors.toSet());
    assertThat(causes).isEqualTo(acceptedIds);
    assertThat(causes).doesNotContainAnyElementsOf(rejected);
    assertThat(new HashSet<>(log.stream().map(e -> e.event().eventId()).toList()))
        .hasSize(log.size());
    Map<String, Long> finalVersions = new HashMap<>();
    for (String id : accounts) {
      List<EventLog.Entry<AccountEvent>> stream =
          log.stream().filter(e -> e.key().equals(id)).toList();
      finalVersions.put(id, (long) stream.size());
      assertThat(stream)
          .extracting(e -> e.event().version())
          .as("versions of %s", id)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, stream.size()).boxed().toList());
      assertThat(fold(stream)).as("balance of %s", id).isEqualByComparingTo(ledger(id));
    }
    System.out.printf("ConcurrencyIT: %d events checked, statuses %s%n", log.size(), statuses);
    return finalVersions;
  }

  private static BigDecimal fold(List<EventLog.Entry<AccountEvent>> stream) {
    BigDecimal balance = BigDecimal.ZERO;
    for (EventLog.Entry<AccountEvent> entry : stream) {
      AccountEvent event = entry.event().event();
      if (event instanceof AccountEvent.AccountOpened opened) {
        balance = balance.add(opened.initialDeposit());
      } else if (event instanceof AccountEvent.MoneyDeposited deposited) {
        balance = balance.add(deposited.amount());
      } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
        balance = balance.subtract(withdrawn.amount());
      }
    }
    return balance;
  }

  private BigDecimal ledger(String id) {
    return accepted.stream()
        .filter(a -> a.account().equals(id))
        .map(Accepted::delta)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
