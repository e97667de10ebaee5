package io.streamfold.command.domain;

import java.time.Instant;
import java.util.List;

/**
 * What makes an aggregate a process manager (a saga): it talks to other aggregates through their
 * inboxes and is woken up at its deadlines. Every function is pure; the writer does the rest.
 *
 * <ul>
 *   <li>{@link #react} names the messages an accepted decision sends. They are written in the same
 *       transaction as its events, to the recipients' {@code <collection>.inbox} topics, with ids
 *       derived from the process and its step: a replay or a crash neither loses one nor sends one
 *       twice, and the recipient decides each once (its inbox position commits with the decision).
 *   <li>{@link #onReply} turns a recipient's answer into the process's next command, decided like
 *       any other.
 *   <li>{@link #deadline} is when the process wants to be woken; the owner of its partition keeps
 *       every deadline of the partition (read from the version table at take-over, so they survive
 *       restarts and fail-overs) and decides {@link #onDeadline}'s command when one passes.
 * </ul>
 *
 * @param <C> the process aggregate's commands
 * @param <E> its events
 * @param <S> its state
 */
public interface Process<C, E, S> {

  /** The messages the accepted {@code events} send; {@code state} is the state after them. */
  List<Outgoing> react(String aggregateId, S state, List<E> events);

  /** The command an answer to the message sent for {@code step} becomes. */
  C onReply(String step, Reply reply);

  /** When the process is to be woken up, or null. */
  Instant deadline(S state);

  /** The command decided when {@code deadline} has passed. */
  C onDeadline(Instant deadline);

  /**
   * A message to another aggregate's inbox.
   *
   * @param collection the recipient's aggregate type (its topics' name)
   * @param messageId derived from the process and the step; the recipient's command id
   * @param action the recipient's command, as its aggregate names it (its inbox command)
   * @param data the command's fields (sent as a JSON object of strings)
   * @param step the sender's name for it, returned with the reply; null when no reply is wanted
   */
  record Outgoing(
      String collection,
      String aggregateId,
      String messageId,
      String action,
      java.util.Map<String, String> data,
      String step) {}

  /**
   * The recipient's answer to a message.
   *
   * @param version the recipient's version after the command (accepted) or when refused
   * @param code the rejection's code, null when accepted
   * @param message the rejection's message, null when accepted
   */
  record Reply(boolean accepted, long version, String code, String message) {}
}
