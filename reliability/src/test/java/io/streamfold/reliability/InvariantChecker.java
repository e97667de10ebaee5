package io.streamfold.reliability;

import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the whole events topic and holds it against the clients' ledger and the projections:
 *
 * <ul>
 *   <li>per aggregate, versions are contiguous from 1;
 *   <li>no event id appears twice;
 *   <li>every event was caused by a command a client issued (nothing invented), for the aggregate
 *       and the amount the client sent;
 *   <li>every accepted command has exactly the events its response listed (none lost);
 *   <li>every refused command has none; a command with no definitive answer has at most one (none
 *       duplicated);
 *   <li>the balance folded from the events equals the clients' model;
 *   <li>the projections answer exactly the folded version and balance of every account.
 * </ul>
 */
final class InvariantChecker {
  /** What can be wrong. */
  enum Violation {
    VERSION_GAP,
    WRONG_KEY,
    DUPLICATE_EVENT_ID,
    INVENTED_EVENT,
    WRONG_AMOUNT_OR_ACCOUNT,
    /** Counted once per extra event of a command. */
    DUPLICATED_COMMAND,
    REFUSED_BUT_APPLIED,
    /** An accepted command with none of its events in the log. */
    LOST,
    EVENTS_DIFFER_FROM_RESPONSE,
    FOLD_MISMATCH,
    PROJECTION_MISMATCH
  }

  /** What was checked, and how many of each violation (with the first 50 described). */
  record Report(
      int eventsChecked,
      int accounts,
      long accepted,
      long refused,
      long unknown,
      long unknownApplied,
      Map<Violation, Integer> violations,
      List<String> examples) {
    int count(Violation violation) {
      return violations.getOrDefault(violation, 0);
    }

    int lost() {
      return count(Violation.LOST);
    }

    int duplicated() {
      return count(Violation.DUPLICATE_EVENT_ID) + count(Violation.DUPLICATED_COMMAND);
    }

    String summary() {
      return String.format(
          "%d events over %d accounts; commands: %d accepted, %d refused, %d unknown (%d of them"
              + " applied); lost %d, duplicated %d, violations %s",
          eventsChecked,
          accounts,
          accepted,
          refused,
          unknown,
          unknownApplied,
          lost(),
          duplicated(),
          violations);
    }
  }

  private final String bootstrapServers;
  private final String registryUrl;
  private final String eventsTopic;
  private final Map<Violation, Integer> violations = new EnumMap<>(Violation.class);
  private final List<String> examples = new ArrayList<>();

  InvariantChecker(String bootstrapServers, String registryUrl, String eventsTopic) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.eventsTopic = eventsTopic;
  }

  private void violation(Violation kind, int times, String example) {
    violations.merge(kind, times, Integer::sum);
    if (examples.size() < 50) {
      examples.add(kind + ": " + example);
    }
  }

  Report check(Ledger ledger, List<String> projectionUrls) {
    violations.clear();
    examples.clear();
    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAccounts(bootstrapServers, registryUrl, eventsTopic);
    Set<String> eventIds = new HashSet<>();
    Map<String, List<EventLog.Entry<AccountEvent>>> byCommand = new HashMap<>();
    Map<String, List<EventLog.Entry<AccountEvent>>> byAccount = new LinkedHashMap<>();
    for (EventLog.Entry<AccountEvent> entry : log) {
      if (!eventIds.add(entry.event().eventId())) {
        violation(Violation.DUPLICATE_EVENT_ID, 1, entry.event().eventId());
      }
      byCommand.computeIfAbsent(entry.event().commandId(), c -> new ArrayList<>()).add(entry);
      byAccount.computeIfAbsent(entry.key(), k -> new ArrayList<>()).add(entry);
    }
    checkStreams(byAccount);
    long unknownApplied = checkCauses(ledger, byCommand);
    Map<String, BigDecimal> folded = checkAcceptedAndFold(ledger, byCommand, byAccount);
    checkProjections(projectionUrls, byAccount, folded);
    return new Report(
        log.size(),
        byAccount.size(),
        ledger.count(Ledger.Answer.ACCEPTED),
        ledger.count(Ledger.Answer.REFUSED),
        ledger.count(Ledger.Answer.UNKNOWN),
        unknownApplied,
        new EnumMap<>(violations),
        List.copyOf(examples));
  }

  private void checkStreams(Map<String, List<EventLog.Entry<AccountEvent>>> byAccount) {
    for (var stream : byAccount.entrySet()) {
      long expected = 1;
      for (EventLog.Entry<AccountEvent> entry : stream.getValue()) {
        if (entry.event().version() != expected) {
          violation(
              Violation.VERSION_GAP,
              1,
              stream.getKey() + " v" + entry.event().version() + " where v" + expected);
        }
        if (!entry.event().aggregateId().equals(stream.getKey())) {
          violation(
              Violation.WRONG_KEY, 1, stream.getKey() + " holds " + entry.event().aggregateId());
        }
        expected = entry.event().version() + 1;
      }
    }
  }

  /** Every event's cause; returns how many commands without an answer were applied. */
  private long checkCauses(
      Ledger ledger, Map<String, List<EventLog.Entry<AccountEvent>>> byCommand) {
    long unknownApplied = 0;
    for (var caused : byCommand.entrySet()) {
      Ledger.Command command = ledger.get(caused.getKey());
      if (command == null) {
        violation(Violation.INVENTED_EVENT, caused.getValue().size(), caused.getKey());
        continue;
      }
      for (EventLog.Entry<AccountEvent> entry : caused.getValue()) {
        BigDecimal applied = delta(entry.event().event());
        if (!entry.key().equals(command.account) || applied.compareTo(command.delta) != 0) {
          violation(
              Violation.WRONG_AMOUNT_OR_ACCOUNT,
              1,
              command.commandId + " applied " + applied + " to " + entry.key());
        }
      }
      if (caused.getValue().size() > 1) {
        violation(
            Violation.DUPLICATED_COMMAND,
            caused.getValue().size() - 1,
            command.commandId + " has " + caused.getValue().size() + " events");
      }
      if (command.answer == Ledger.Answer.REFUSED) {
        violation(Violation.REFUSED_BUT_APPLIED, 1, command.commandId + " " + command.status);
      } else if (command.answer == Ledger.Answer.UNKNOWN) {
        unknownApplied++;
      }
    }
    return unknownApplied;
  }

  /** Accepted commands against the log, then each account's fold against the clients' model. */
  private Map<String, BigDecimal> checkAcceptedAndFold(
      Ledger ledger,
      Map<String, List<EventLog.Entry<AccountEvent>>> byCommand,
      Map<String, List<EventLog.Entry<AccountEvent>>> byAccount) {
    Map<String, BigDecimal> model = new HashMap<>();
    for (Ledger.Command command : ledger.all()) {
      List<EventLog.Entry<AccountEvent>> events =
          byCommand.getOrDefault(command.commandId, List.of());
      if (command.answer == Ledger.Answer.ACCEPTED) {
        Set<String> logged =
            events.stream().map(e -> e.event().eventId()).collect(Collectors.toSet());
        if (logged.isEmpty()) {
          violation(Violation.LOST, 1, command.commandId + " " + command.eventIds);
        } else if (!logged.equals(Set.copyOf(command.eventIds))) {
          violation(
              Violation.EVENTS_DIFFER_FROM_RESPONSE,
              1,
              command.commandId + " " + command.eventIds + " but " + logged);
        }
      }
      if (command.answer == Ledger.Answer.ACCEPTED || !events.isEmpty()) {
        model.merge(command.account, command.delta, BigDecimal::add);
      }
    }
    Map<String, BigDecimal> folded = new HashMap<>();
    for (var stream : byAccount.entrySet()) {
      BigDecimal balance =
          stream.getValue().stream()
              .map(e -> delta(e.event().event()))
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      folded.put(stream.getKey(), balance);
      BigDecimal expected = model.getOrDefault(stream.getKey(), BigDecimal.ZERO);
      if (balance.compareTo(expected) != 0) {
        violation(
            Violation.FOLD_MISMATCH,
            1,
            stream.getKey() + " folds to " + balance + ", clients expect " + expected);
      }
    }
    return folded;
  }

  /** How long a projection instance may answer 503 (rebalancing, restoring) before it counts. */
  static final java.time.Duration PROJECTION_PATIENCE = java.time.Duration.ofSeconds(90);

  /**
   * Every account read from every projection instance, waiting for its last version. An instance
   * that answers 503 (rebalancing, restoring) is asked again until {@link #PROJECTION_PATIENCE} has
   * passed: unavailable for a while is the contract; still not showing the log after that is not.
   */
  private void checkProjections(
      List<String> projectionUrls,
      Map<String, List<EventLog.Entry<AccountEvent>>> byAccount,
      Map<String, BigDecimal> folded) {
    long deadline = System.nanoTime() + PROJECTION_PATIENCE.toNanos();
    for (String url : projectionUrls) {
      for (var stream : byAccount.entrySet()) {
        long version = stream.getValue().get(stream.getValue().size() - 1).event().version();
        String path =
            url
                + "/api/v1/accounts/"
                + stream.getKey()
                + "?minVersion="
                + version
                + "&waitMs=30000";
        Http.Response read = readPatiently(path, deadline);
        boolean equal =
            read.status() == 200
                && read.json().get("version").asLong() == version
                && new BigDecimal(read.json().get("balance").asText())
                        .compareTo(folded.get(stream.getKey()))
                    == 0;
        if (!equal) {
          violation(
              Violation.PROJECTION_MISMATCH,
              1,
              url
                  + " answers "
                  + read.status()
                  + " "
                  + read.raw().body()
                  + " for "
                  + stream.getKey()
                  + ", the log is at v"
                  + version
                  + " = "
                  + folded.get(stream.getKey()));
        }
      }
    }
  }

  /** The answer to {@code path}, asked again while it is 503 until {@code deadline} (nanoTime). */
  private static Http.Response readPatiently(String path, long deadline) {
    var read = new java.util.concurrent.atomic.AtomicReference<>(Http.get(path));
    long left = deadline - System.nanoTime();
    if (read.get().status() == 503 && left > 0) {
      try {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofNanos(left))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(() -> read.updateAndGet(previous -> Http.get(path)).status() != 503);
      } catch (org.awaitility.core.ConditionTimeoutException stillUnavailable) {
        // the last 503 stands, and counts
      }
    }
    return read.get();
  }

  private static BigDecimal delta(AccountEvent event) {
    if (event instanceof AccountEvent.AccountOpened opened) {
      return opened.initialDeposit();
    }
    if (event instanceof AccountEvent.MoneyDeposited deposited) {
      return deposited.amount();
    }
    if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
      return withdrawn.amount().negate();
    }
    return BigDecimal.ZERO;
  }
}
