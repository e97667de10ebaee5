package io.streamfold.command.aggregate;

/**
 * Bytes on Kafka to and from the domain, for one aggregate type. Decoding malformed bytes throws
 * Kafka's {@code SerializationException}; an unreachable registry throws something else, since it
 * is transient.
 */
public interface AggregateCodec<C, E, S> {

  byte[] encodeCommand(String topic, CommandEnvelope<C> command);

  CommandEnvelope<C> decodeCommand(byte[] data);

  byte[] encodeEvent(String topic, EventEnvelope<E> event);

  EventEnvelope<E> decodeEvent(byte[] data);

  byte[] encodeState(S state);

  S decodeState(byte[] data);
}
