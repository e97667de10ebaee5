package io.streamfold.command.aggregate;

/**
 * Events and state snapshots as bytes on Kafka, to and from the domain, for one aggregate type.
 * Decoding malformed bytes throws Kafka's {@code SerializationException}; an unreachable registry
 * throws something else, since it is transient.
 */
public interface AggregateCodec<C, E, S> {

  byte[] encodeEvent(String topic, EventEnvelope<E> event);

  EventEnvelope<E> decodeEvent(byte[] data);

  byte[] encodeState(S state);

  S decodeState(byte[] data);
}
