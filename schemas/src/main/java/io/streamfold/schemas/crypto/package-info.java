/**
 * Crypto-shredding: each data subject's personal fields are encrypted with a data key of the
 * subject's own ({@link io.streamfold.schemas.crypto.FieldCipher}, AES-256-GCM bound to the subject
 * and the field), the data keys live wrapped by a key-encryption key ({@link
 * io.streamfold.schemas.crypto.KeyEncryptionKey}) in a compacted topic ({@link
 * io.streamfold.schemas.crypto.KafkaDataKeys}), and forgetting a subject destroys its keys, so that
 * every copy of its personal data, wherever Kafka keeps it, can never be read again. Depends on the
 * JDK's cryptography and Kafka clients only.
 */
package io.streamfold.schemas.crypto;
