package io.streamfold.reliability;

import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.command.it.EventLog;
import io.streamfold.command.it.Http;
import java.math.BigDecimal;
import java.util.ArrayList;
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
  /** What was checked and what was wrong (at most the first 50 violations are kept). */
  record Report(
      int eventsChecked,
      int accounts,
      long accepted,
      long refused,
      long unknown,
      long unknownApplied,
      int lost,
      int duplicated,
      List<String> violations) {
    String summary() {
      return String.format(
          "%d events over %d accounts; commands: %d accepted, %d refused, %d unknown (%d of them"
              + " applied); lost %d, duplicated %d, violations %d",
          eventsChecked,
          accounts,
          accepted,
          refused,
          unknown,
          unknownApplied,
          lost,
          duplicated,
          violations.size());
    }
  }

  private final String bootstrapServers;
  private final String registryUrl;
  private final String eventsTopic;

  InvariantChecker(String bootstrapServers, String registryUrl, String eventsTopic) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.eventsTopic = eventsTopic;
  }

  Report check(Ledger ledger, List<String> projectionUrls) {
    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAccounts(bootstrapServers, registryUrl, eventsTopic);
    List<String> violations = new ArrayList<>();
    int lost = 0;
    int duplicated = 0;

    Set<String> eventIds = new HashSet<>();
    Map<String, List<EventLog.Entry<AccountEvent>>> byCommand = new HashMap<>();
    Map<String, List<EventLog.Entry<AccountEvent>>> byAccount = new LinkedHashMap<>();
    for (EventLog.Entry<AccountEvent> entry : log) {
      if (!eventIds.add(entry.event().eventId())) {
        duplicated++;
        violations.add("event id twice: " + entry.event().eventId());
      }
      byCommand.computeIfAbsent(entry.event().commandId(), c -> new ArrayList<>()).add(entry);
      byAccount.computeIfAbsent(entry.key(), k -> new ArrayList<>()).add(entry);
    }

    for (var stream : byAccount.entrySet()) {
      long expected = 1;
      for (EventLog.Entry<AccountEvent> entry : stream.getValue()) {
        if (entry.event().version() != expected) {
          violations.add(
              stream.getKey() + ": version " + entry.event().version() + " where " + expected);
        }
        if (!entry.event().aggregateId().equals(stream.getKey())) {
          violations.add("event keyed " + stream.getKey() + " for " + entry.event().aggregateId());
        }
        expected = entry.event().version() + 1;
      }
    }

    long unknownApplied = 0;
    for (var caused : byCommand.entrySet()) {
      Ledger.Command command = ledger.get(caused.getKey());
      if (command == null) {
        violations.add("event(s) of a command nobody issued: " + caused.getKey());
        continue;
      }
      for (EventLog.Entry<AccountEvent> entry : caused.getValue()) {
        if (!entry.key().equals(command.account)) {
          violations.add(command.commandId + " applied to " + entry.key());
        }
        if (delta(entry.event().event()).compareTo(command.delta) != 0) {
          violations.add(
              command.commandId
                  + " applied "
                  + delta(entry.event().event())
                  + " not "
                  + command.delta);
        }
      }
      if (caused.getValue().size() > 1) {
        duplicated += caused.getValue().size() - 1;
        violations.add(command.commandId + " has " + caused.getValue().size() + " events");
      }
      if (command.answer == Ledger.Answer.REFUSED) {
        violations.add(command.commandId + " was refused (" + command.status + ") but has events");
      }
      if (command.answer == Ledger.Answer.UNKNOWN) {
        unknownApplied++;
      }
    }

    Map<String, BigDecimal> model = new HashMap<>();
    for (Ledger.Command command : ledger.all()) {
      List<EventLog.Entry<AccountEvent>> events =
          byCommand.getOrDefault(command.commandId, List.of());
      if (command.answer == Ledger.Answer.ACCEPTED) {
        Set<String> logged =
            events.stream().map(e -> e.event().eventId()).collect(Collectors.toSet());
        if (!logged.equals(Set.copyOf(command.eventIds))) {
          if (logged.isEmpty()) {
            lost++;
          }
          violations.add(
              command.commandId
                  + " was accepted with "
                  + command.eventIds
                  + " but the log has "
                  + logged);
        }
      }
      if (command.answer == Ledger.Answer.ACCEPTED || !events.isEmpty()) {
        model.merge(command.account, command.delta, BigDecimal::add);
      }
    }

    Map<String, BigDecimal> folded = new HashMap<>();
    for (var stream : byAccount.entrySet()) {
      BigDecimal balance = BigDecimal.ZERO;
      for (EventLog.Entry<AccountEvent> entry : stream.getValue()) {
        balance = balance.add(delta(entry.event().event()));
      }
      folded.put(stream.getKey(), balance);
      BigDecimal expected = model.getOrDefault(stream.getKey(), BigDecimal.ZERO);
      if (balance.compareTo(expected) != 0) {
        violations.add(
            stream.getKey() + ": log folds to " + balance + ", clients expect " + expected);
      }
    }

    checkProjections(projectionUrls, byAccount, folded, violations);
    return new Report(
        log.size(),
        byAccount.size(),
        ledger.count(Ledger.Answer.ACCEPTED),
        ledger.count(Ledger.Answer.REFUSED),
        ledger.count(Ledger.Answer.UNKNOWN),
        unknownApplied,
        lost,
        duplicated,
        violations.subList(0, Math.min(50, violations.size())));
  }

  /** Every account read from every projection instance, waiting for its last version. */
  private static void checkProjections(
      List<String> projectionUrls,
      Map<String, List<EventLog.Entry<AccountEvent>>> byAccount,
      Map<String, BigDecimal> folded,
      List<String> violations) {
    for (String url : projectionUrls) {
      for (var stream : byAccount.entrySet()) {
        long version = stream.getValue().get(stream.getValue().size() - 1).event().version();
        Http.Response read =
            Http.get(
                url
                    + "/api/v1/accounts/"
                    + stream.getKey()
                    + "?minVersion="
                    + version
                    + "&waitMs=30000");
        if (read.status() != 200) {
          violations.add(url + " answered " + read.status() + " for " + stream.getKey());
          continue;
        }
        long projected = read.json().get("version").asLong();
        BigDecimal balance = new BigDecimal(read.json().get("balance").asText());
        if (projected != version || balance.compareTo(folded.get(stream.getKey())) != 0) {
          violations.add(
              url
                  + " projects "
                  + stream.getKey()
                  + " at v"
                  + projected
                  + " = "
                  + balance
                  + ", the log at v"
                  + version
                  + " = "
                  + folded.get(stream.getKey()));
        }
      }
    }
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
