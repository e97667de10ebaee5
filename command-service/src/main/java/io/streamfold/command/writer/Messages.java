package io.streamfold.command.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.command.domain.Process;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.InboxCommand;
import io.streamfold.schemas.core.InboxRecord;
import io.streamfold.schemas.core.InboxReply;
import io.streamfold.schemas.core.ReplyAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inbox messages ({@link InboxRecord}) as the writers write and read them: a process's {@link
 * Process.Outgoing} as a command to another aggregate, an outcome as the reply to its sender.
 */
final class Messages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  /** How a message's fingerprint begins; a client's never does (it is hex). */
  private static final String MESSAGE = "inbox:";

  private Messages() {}

  /** A process's message, from {@code sender} (its collection and aggregate id). */
  static InboxRecord command(
      Process.Outgoing message,
      String senderCollection,
      String senderId,
      String correlationId,
      Instant now) {
    return InboxRecord.newBuilder()
        .setMessageId(message.messageId())
        .setAggregateId(message.aggregateId())
        .setCorrelationId(correlationId)
        .setSentAt(now)
        .setBody(
            InboxCommand.newBuilder()
                .setAction(message.action())
                .setData(json(message.data()))
                .setReplyTo(
                    message.step() == null
                        ? null
                        : new ReplyAddress(senderCollection, senderId, message.step()))
                .build())
        .build();
  }

  /** The reply to a message that asked for one: its outcome, without the events. */
  static InboxRecord reply(
      InboxRecord message, ReplyAddress to, byte[] outcomeWithoutEvents, Instant now) {
    return InboxRecord.newBuilder()
        .setMessageId(message.getMessageId() + ".reply")
        .setAggregateId(to.getAggregateId())
        .setCorrelationId(message.getCorrelationId())
        .setSentAt(now)
        .setBody(new InboxReply(to.getStep(), ByteBuffer.wrap(outcomeWithoutEvents)))
        .build();
  }

  /** The outcome as a reply carries it: the events stay with the recipient. */
  static CommandOutcome withoutEvents(CommandOutcome outcome) {
    return CommandOutcome.newBuilder(outcome).setEvents(List.of()).build();
  }

  /** A reply's outcome, as a process sees it. */
  static Process.Reply reply(CommandOutcome outcome) {
    boolean accepted = outcome.getStatus() == io.streamfold.schemas.core.OutcomeStatus.ACCEPTED;
    return new Process.Reply(
        accepted,
        outcome.getVersion(),
        accepted ? null : outcome.getRejection().getCode(),
        accepted ? null : outcome.getRejection().getMessage());
  }

  /** The fields of a message's command. */
  static Map<String, String> fields(InboxCommand command) {
    try {
      return JSON.readValue(command.getData(), FIELDS);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The message's data is not a JSON object of strings", e);
    }
  }

  /**
   * What a message's idempotency record is checked against: a digest of its action and data, so
   * that the same message id with other content is refused rather than taken for a repeat.
   */
  static String fingerprint(InboxCommand command) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(command.getAction().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(command.getData().getBytes(StandardCharsets.UTF_8));
      return MESSAGE + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("No SHA-256 in this JVM", e);
    }
  }

  /** Whether {@code command} came in a message (its fingerprint is a message's). */
  static boolean carried(io.streamfold.command.aggregate.CommandEnvelope<?> command) {
    return command.fingerprint() != null && command.fingerprint().startsWith(MESSAGE);
  }

  private static String json(Map<String, String> data) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(data));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The message's data cannot be written as JSON", e);
    }
  }
}
