package io.streamfold.reliability;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clients were told: every command issued, with its amount and its final answer. The
 * checker holds the event log against it.
 */
final class Ledger {
  enum Answer {
    /** 2xx: the command's events are in the response and must be in the log, exactly. */
    ACCEPTED,
    /** 4xx, or 500 (an internal error outcome): no event of it may be in the log. */
    REFUSED,
    /** No definitive answer before the client gave up: its events may be in the log, once. */
    UNKNOWN
  }

  /** One command as the client knows it. */
  static final class Command {
    final String commandId;
    final String account;
    final BigDecimal delta;
    volatile Answer answer = Answer.UNKNOWN;
    volatile int status;
    volatile List<String> eventIds = List.of();
    volatile int attempts;

    Command(String commandId, String account, BigDecimal delta) {
      this.commandId = commandId;
      this.account = account;
      this.delta = delta;
    }
  }

  private final Map<String, Command> commands = new ConcurrentHashMap<>();

  Command issue(String commandId, String account, BigDecimal delta) {
    Command command = new Command(commandId, account, delta);
    if (commands.putIfAbsent(commandId, command) != null) {
      throw new IllegalArgumentException("Command id reused: " + commandId);
    }
    return command;
  }

  static void accepted(Command command, int status, List<String> eventIds) {
    command.status = status;
    command.eventIds = List.copyOf(eventIds);
    command.answer = Answer.ACCEPTED;
  }

  static void refused(Command command, int status) {
    command.status = status;
    command.answer = Answer.REFUSED;
  }

  Command get(String commandId) {
    return commands.get(commandId);
  }

  Collection<Command> all() {
    return commands.values();
  }

  long count(Answer answer) {
    return commands.values().stream().filter(c -> c.answer == answer).count();
  }
}
